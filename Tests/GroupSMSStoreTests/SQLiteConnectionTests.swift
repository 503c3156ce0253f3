import Foundation
import Testing
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct SQLiteConnectionTests {
    @Test func opensInWALWithForeignKeysAndABusyTimeout() throws {
        let folder = try TemporaryDirectory(prefix: "sqlite")
        let connection = try SQLiteConnection(path: folder.file("a.sqlite"), busyTimeout: .milliseconds(1500), durability: .full)
        #expect(try connection.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try connection.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(try connection.scalarInt("PRAGMA busy_timeout") == 1500)
        #expect(try connection.scalarInt("PRAGMA synchronous") == 2)
    }

    @Test func errorsCarryTheSQLTheCodeAndSQLitesMessage() throws {
        let folder = try TemporaryDirectory(prefix: "sqlite")
        let connection = try SQLiteConnection(path: folder.file("a.sqlite"), busyTimeout: .seconds(1), durability: .normal)
        do {
            try connection.execute("SELECT * FROM missing_table")
            Issue.record("no error")
        } catch let error as StoreError {
            guard case .sqlite(let code, let message, let sql, let path) = error else {
                Issue.record("wrong case \(error)")
                return
            }
            #expect(code == 1)
            #expect(message.contains("no such table"))
            #expect(sql == "SELECT * FROM missing_table")
            #expect(path == folder.file("a.sqlite"))
            #expect(error.description.contains("missing_table"))
        }
        try connection.executeScript("CREATE TABLE t(x INTEGER NOT NULL CHECK (x > 0))")
        #expect(throws: StoreError.self) { try connection.execute("INSERT INTO t VALUES (?)", [.integer(-1)]) }
        do {
            try connection.execute("INSERT INTO t VALUES (?)", [.integer(-1)])
        } catch let error as StoreError {
            #expect(error.sqliteCode.map { $0 & 0xFF } == 19, "SQLITE_CONSTRAINT")
        }
        #expect(throws: StoreError.self) { try connection.execute("INSERT INTO t VALUES (?)", []) }
    }

    @Test func preparedStatementsAreCachedAndReusable() throws {
        let folder = try TemporaryDirectory(prefix: "sqlite")
        let connection = try SQLiteConnection(path: folder.file("a.sqlite"), busyTimeout: .seconds(1), durability: .normal)
        try connection.executeScript("CREATE TABLE t(x TEXT)")
        let sql = "INSERT INTO t VALUES (?)"
        #expect(try connection.statement(sql) === connection.statement(sql))
        for text in ["a", "", "ünïcødé 短信", "with 'quote'"] { try connection.execute(sql, [.text(text)]) }
        try connection.execute(sql, [.null])
        let rows = try connection.query("SELECT x FROM t ORDER BY rowid") { $0.optionalText(0) }
        #expect(rows == ["a", "", "ünïcødé 短信", "with 'quote'", nil])
    }

    @Test func aTransactionRollsBackWhenItsBodyThrows() throws {
        let folder = try TemporaryDirectory(prefix: "sqlite")
        let connection = try SQLiteConnection(path: folder.file("a.sqlite"), busyTimeout: .seconds(1), durability: .normal)
        try connection.executeScript("CREATE TABLE t(x INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try connection.scalarInt("SELECT count(*) FROM t") == 0)
        #expect(!connection.isInTransaction)
        try connection.transaction { try connection.execute("INSERT INTO t VALUES (2)") }
        #expect(try connection.scalarInt("SELECT sum(x) FROM t") == 2)
    }

    @Test func aSecondWriterWaitsThenGetsABusyError() throws {
        let folder = try TemporaryDirectory(prefix: "sqlite")
        let path = folder.file("a.sqlite")
        let first = try SQLiteConnection(path: path, busyTimeout: .seconds(1), durability: .normal)
        try first.executeScript("CREATE TABLE t(x INTEGER)")
        let second = try SQLiteConnection(path: path, busyTimeout: .milliseconds(50), durability: .normal)
        try first.execute("BEGIN IMMEDIATE")
        try first.execute("INSERT INTO t VALUES (1)")
        do {
            try second.transaction { try second.execute("INSERT INTO t VALUES (2)") }
            Issue.record("second writer got the lock")
        } catch let error as StoreError {
            #expect(error.isBusy)
            #expect(error.description.contains("busy timeout"))
        }
        // Readers are not blocked by the writer (WAL) and see only committed data.
        #expect(try second.scalarInt("SELECT count(*) FROM t") == 0)
        try first.execute("COMMIT")
        try second.transaction { try second.execute("INSERT INTO t VALUES (2)") }
        #expect(try first.scalarInt("SELECT count(*) FROM t") == 2)
    }

    @Test func migrationsSetTheVersionAndRefuseANewerSchema() async throws {
        let folder = try TemporaryDirectory(prefix: "sqlite")
        let clock = ManualWallClock()
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        #expect(try await store.schemaVersion() == StoreSchema.latestVersion)
        #expect(store.databasePath == folder.file("groupsms.sqlite"))
        #expect(store.instanceTag.count == 4)
        let reopened = try JobStore(dataDirectory: folder.path, clock: clock)
        #expect(reopened.instanceTag == store.instanceTag)
        #expect(try await reopened.integrityCheck() == ["ok"])
        let raw = try SQLiteConnection(path: store.databasePath, busyTimeout: .seconds(1), durability: .normal)
        try raw.executeScript("PRAGMA user_version = 99")
        #expect(throws: StoreError.newerSchema(found: 99, supported: StoreSchema.latestVersion, path: store.databasePath)) {
            _ = try JobStore(dataDirectory: folder.path, clock: clock)
        }
    }
}
