import Foundation

/// A prepared statement; owns its `sqlite3_stmt` and finalizes it in `deinit`.
///
/// Statements are cached by their connection and reused: every use binds, steps and is
/// followed by `reset()`, which `SQLiteConnection` guarantees through `withStatement`.
final class SQLiteStatement {
    let sql: String
    private let handle: OpaquePointer
    private let path: String

    init(handle: OpaquePointer, sql: String, path: String) {
        self.handle = handle
        self.sql = sql
        self.path = path
    }

    deinit { SQLiteAPI.finalize(handle) }

    /// Binds `values` to parameters 1...n; the count must match the statement's parameters.
    func bind(_ values: [SQLiteValue]) throws(StoreError) {
        let expected = SQLiteAPI.parameterCount(handle)
        guard expected == Int32(values.count) else {
            throw .sqlite(code: 25, message: "statement takes \(expected) parameters, \(values.count) given",
                          sql: sql, path: path)
        }
        for (offset, value) in values.enumerated() {
            try SQLiteAPI.bind(handle, Int32(offset + 1), value, sql: sql, path: path)
        }
    }

    /// Binds one parameter (1-based), for hot loops that avoid building arrays.
    func bind(_ value: SQLiteValue, at index: Int32) throws(StoreError) {
        try SQLiteAPI.bind(handle, index, value, sql: sql, path: path)
    }

    /// Advances to the next row; false when the statement has finished.
    func step() throws(StoreError) -> Bool {
        try SQLiteAPI.step(handle, sql: sql, path: path)
    }

    /// Runs the statement to completion, ignoring any rows.
    func run() throws(StoreError) {
        while try step() {}
    }

    func reset() { SQLiteAPI.reset(handle) }

    /// The current row's columns.
    var row: SQLiteRow { SQLiteRow(handle: handle) }
}

/// Column access for the row a statement is positioned on; valid only until the next step.
struct SQLiteRow {
    fileprivate let handle: OpaquePointer

    func isNull(_ column: Int32) -> Bool { SQLiteAPI.isNull(handle, column) }
    func int64(_ column: Int32) -> Int64 { SQLiteAPI.int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(SQLiteAPI.int64(handle, column)) }
    func double(_ column: Int32) -> Double { SQLiteAPI.double(handle, column) }
    func text(_ column: Int32) -> String { SQLiteAPI.text(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    /// A time column stored as milliseconds since 1970.
    func date(_ column: Int32) -> Date { StoreTime.date(int64(column)) }
    func optionalDate(_ column: Int32) -> Date? { isNull(column) ? nil : date(column) }
}
