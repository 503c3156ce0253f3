import Foundation

/// How a connection trades durability for speed on commit.
public enum StoreDurability: String, Sendable {
    /// `synchronous=FULL`: a commit is on disk before it returns, so an in-flight record
    /// survives even a power cut. The default, because the at-most-once promise rests on it.
    case full
    /// `synchronous=NORMAL`: a commit survives a killed process but not a power cut.
    case normal
}

/// One SQLite connection; owns the `sqlite3*` and closes it in `deinit`.
///
/// Not thread-safe by design: exactly one owner (the `JobStore` actor) uses it. Writes go
/// through `transaction(_:)`, which begins IMMEDIATE so a writer takes the lock up front and
/// waits (busy timeout) instead of failing half-way when another process writes.
final class SQLiteConnection {
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String, busyTimeout: Duration, durability: StoreDurability) throws(StoreError) {
        self.path = path
        do {
            handle = try SQLiteAPI.open(path: path)
        } catch {
            throw Self.openFailure(error, path: path)
        }
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        SQLiteAPI.setBusyTimeout(handle, milliseconds: Int32(clamping: milliseconds))
        do {
            try SQLiteAPI.exec(handle, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL");
                PRAGMA foreign_keys = ON;
                PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -32768;
                """, path: path)
        } catch {
            // Every property is set, so deinit closes the handle.
            throw Self.openFailure(error, path: path)
        }
        let mode = try scalarText("PRAGMA journal_mode")
        guard mode?.lowercased() == "wal" else {
            throw .sqlite(code: 1, message: "journal mode is \(mode ?? "unknown"), WAL is required "
                          + "(is the data dir on a network file system?)", sql: "PRAGMA journal_mode = WAL", path: path)
        }
    }

    /// What opening the database at `path` failed with, in the user's terms: a file that cannot
    /// be opened (SQLITE_CANTOPEN) or written (SQLITE_READONLY, SQLITE_PERM) becomes
    /// `StoreError.cannotOpen`, saying whether the data dir is read-only; other errors stay as they are.
    private static func openFailure(_ error: StoreError, path: String) -> StoreError {
        guard case .sqlite(let code, let message, _, _) = error, [3, 8, 14].contains(code & 0xFF) else { return error }
        let directory = (path as NSString).deletingLastPathComponent
        let readOnly = access(directory, W_OK) != 0
            || (FileManager.default.fileExists(atPath: path) && access(path, W_OK) != 0)
        return .cannotOpen(directory: directory, readOnly: readOnly, code: code, reason: message)
    }

    deinit {
        statements.removeAll()
        SQLiteAPI.close(handle)
    }

    /// Runs SQL text that may hold several statements and takes no parameters.
    func executeScript(_ sql: String) throws(StoreError) {
        try SQLiteAPI.exec(handle, sql, path: path)
    }

    /// The cached prepared statement for `sql`, preparing it on first use.
    func statement(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let statement = SQLiteStatement(handle: try SQLiteAPI.prepare(handle, sql, path: path), sql: sql, path: path)
        statements[sql] = statement
        return statement
    }

    /// Binds `values` to the cached statement for `sql`, hands it to `body`, and always resets it.
    func withStatement<T>(_ sql: String, _ values: [SQLiteValue] = [],
                          _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        return try body(statement)
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int {
        try withStatement(sql, values) { try $0.run() }
        return SQLiteAPI.changes(handle)
    }

    /// Every row of a query, mapped by `transform`.
    func query<T>(_ sql: String, _ values: [SQLiteValue] = [], _ transform: (SQLiteRow) throws -> T) throws -> [T] {
        try withStatement(sql, values) { statement in
            var rows: [T] = []
            while try statement.step() { rows.append(try transform(statement.row)) }
            return rows
        }
    }

    /// The first row of a query, if any.
    func queryFirst<T>(_ sql: String, _ values: [SQLiteValue] = [], _ transform: (SQLiteRow) throws -> T) throws -> T? {
        try withStatement(sql, values) { statement in
            try statement.step() ? try transform(statement.row) : nil
        }
    }

    /// The first column of the first row as an integer (nil for no row or NULL).
    func scalarInt(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int64? {
        try queryFirst(sql, values) { $0.optionalInt64(0) } ?? nil
    }

    /// The first column of the first row as text (nil for no row or NULL).
    func scalarText(_ sql: String, _ values: [SQLiteValue] = []) throws(StoreError) -> String? {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        return try statement.step() ? statement.row.optionalText(0) : nil
    }

    var lastInsertRowID: Int64 { SQLiteAPI.lastInsertRowID(handle) }
    /// Rows changed by the most recent statement.
    var lastChanges: Int { SQLiteAPI.changes(handle) }
    var isInTransaction: Bool { !SQLiteAPI.isAutocommit(handle) }

    /// Runs `body` in a transaction and commits, or rolls back and rethrows when `body` throws.
    ///
    /// `immediate` (the default, for every write) takes the write lock at BEGIN, so two
    /// processes never both read-then-write and collide at COMMIT; `deferred` is for reads that
    /// need one consistent snapshot across several statements.
    @discardableResult
    func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        precondition(!isInTransaction, "nested transactions are not used by the store")
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? executeScript("ROLLBACK") }
            throw error
        }
    }
}
