internal import CSQLite

/// The only file that calls the sqlite3 C functions.
///
/// Each wrapper turns a result code into `StoreError.sqlite`, carrying the SQL being run and
/// SQLite's message, so the rest of the store never sees a raw code. Handles are plain
/// `OpaquePointer`s here; `SQLiteConnection` and `SQLiteStatement` own and free them.
enum SQLiteAPI {
    static let ok: Int32 = SQLITE_OK
    static let row: Int32 = SQLITE_ROW
    static let done: Int32 = SQLITE_DONE

    /// The linked SQLite's version string, e.g. "3.40.1".
    static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    static func open(path: String) throws(StoreError) -> OpaquePointer {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let handle { sqlite3_close_v2(handle) }
            throw .sqlite(code: code, message: message, sql: nil, path: path)
        }
        sqlite3_extended_result_codes(handle, 1)
        return handle
    }

    /// Closes a connection; statements still alive keep it open until they are finalized.
    static func close(_ db: OpaquePointer) {
        sqlite3_close_v2(db)
    }

    static func setBusyTimeout(_ db: OpaquePointer, milliseconds: Int32) {
        sqlite3_busy_timeout(db, milliseconds)
    }

    /// Runs one or more statements that take no parameters and return no rows we need.
    static func exec(_ db: OpaquePointer, _ sql: String, path: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(errorMessage)
            throw .sqlite(code: code, message: message, sql: sql, path: path)
        }
    }

    static func prepare(_ db: OpaquePointer, _ sql: String, path: String) throws(StoreError) -> OpaquePointer {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw .sqlite(code: code, message: String(cString: sqlite3_errmsg(db)), sql: sql, path: path)
        }
        return statement
    }

    static func finalize(_ statement: OpaquePointer) {
        sqlite3_finalize(statement)
    }

    /// Advances a statement: true when a row is ready, false when it has finished.
    static func step(_ statement: OpaquePointer, sql: String, path: String) throws(StoreError) -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
        sqlite3_reset(statement)
        throw .sqlite(code: code, message: message, sql: sql, path: path)
    }

    /// Rewinds a statement and drops its bindings so the cached statement can be reused.
    static func reset(_ statement: OpaquePointer) {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    static func bind(_ statement: OpaquePointer, _ index: Int32, _ value: SQLiteValue,
                     sql: String, path: String) throws(StoreError) {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(statement, index)
        case .integer(let v): code = sqlite3_bind_int64(statement, index, v)
        case .real(let v): code = sqlite3_bind_double(statement, index, v)
        case .text(let v): code = bindText(statement, index, v)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { buffer in
                groupsms_sqlite3_bind_blob_transient(statement, index, buffer.baseAddress, Int32(buffer.count))
            }
        }
        if code != SQLITE_OK {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
            throw .sqlite(code: code, message: "binding parameter \(index): \(message)", sql: sql, path: path)
        }
    }

    private static func bindText(_ statement: OpaquePointer, _ index: Int32, _ value: String) -> Int32 {
        var text = value
        return text.withUTF8 { buffer in
            // A nil base address would bind NULL, so an empty string gets a real (empty) C string.
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return "".withCString { groupsms_sqlite3_bind_text_transient(statement, index, $0, 0) }
            }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                groupsms_sqlite3_bind_text_transient(statement, index, $0, Int32(buffer.count))
            }
        }
    }

    static func parameterCount(_ statement: OpaquePointer) -> Int32 {
        sqlite3_bind_parameter_count(statement)
    }

    static func isNull(_ statement: OpaquePointer, _ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    static func int64(_ statement: OpaquePointer, _ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    static func double(_ statement: OpaquePointer, _ column: Int32) -> Double {
        sqlite3_column_double(statement, column)
    }

    static func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    static func changes(_ db: OpaquePointer) -> Int {
        Int(sqlite3_changes64(db))
    }

    static func lastInsertRowID(_ db: OpaquePointer) -> Int64 {
        sqlite3_last_insert_rowid(db)
    }

    static func isAutocommit(_ db: OpaquePointer) -> Bool {
        sqlite3_get_autocommit(db) != 0
    }
}
