import Foundation
import PostgresNIO
import Testing
@testable import GroupSMSStore
import GroupSMSPostgres
import GroupSMSTestSupport

@Suite struct PostgresMigrationTests {
    @Test func migratingTwiceAppliesEachVersionOnce() async throws {
        let server = try await ThrowawayPostgres.shared()
        let connection = try await server.connect(database: try await server.makeDatabase())
        #expect(try await connection.schemaVersion() == 0)
        #expect(try await connection.migrate() == [1, 2, 3, 4, 5])
        let tag = try await connection.query("SELECT value FROM store_meta WHERE key = 'instance'")
        let instance = try #require(tag.first).decode(String.self)
        #expect(try await connection.migrate() == [])
        #expect(try await connection.schemaVersion() == PostgresSchema.latestVersion)
        let recorded = try await connection.query("SELECT version, name FROM schema_migrations ORDER BY version")
        #expect(try recorded.map { try $0.decode((Int, String).self).0 } == [1, 2, 3, 4, 5])
        // The data dir's tag is made once: four base-36 characters, kept by later migrations.
        #expect(instance.count == 4 && instance.allSatisfy { $0.isLowercase || $0.isNumber })
        let again = try await connection.query("SELECT value FROM store_meta WHERE key = 'instance'")
        #expect(try #require(again.first).decode(String.self) == instance)
        await connection.close()
    }

    /// Daemons starting together against a new database take turns: one applies, the others find it done.
    @Test func processesMigratingAtOnceApplyItOnce() async throws {
        let server = try await ThrowawayPostgres.shared()
        let database = try await server.makeDatabase()
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let connection = try await server.connect(database: database)
                    do {
                        let versions = try await connection.migrate()
                        await connection.close()
                        return versions
                    } catch {
                        await connection.close()
                        throw error
                    }
                }
            }
            return try await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(applied.filter { $0 == [1, 2, 3, 4, 5] }.count == 1)
        #expect(applied.filter(\.isEmpty).count == 3)
    }

    @Test func aDatabaseOfANewerGroupSMSIsRefusedAndLeftAsItIs() async throws {
        let server = try await ThrowawayPostgres.shared()
        let connection = try await server.connect(database: try await server.makeDatabase())
        try await connection.migrate()
        try await connection.query("INSERT INTO schema_migrations(version, name) VALUES (99, 'from the future')")
        await #expect(throws: PostgresStoreError.newerSchema(store: connection.url.description, found: 99,
                                                             supported: PostgresSchema.latestVersion)) {
            try await connection.migrate()
        }
        #expect(try await connection.schemaVersion() == 99)
        await connection.close()
    }

    /// The PostgreSQL twin of the SQLite store's newest schema has its tables: the same
    /// columns in the same order, the same NOT NULLs. A new SQLite migration without its
    /// PostgreSQL twin fails here.
    @Test func theTablesMirrorTheSQLiteStore() async throws {
        let folder = try TemporaryDirectory(prefix: "pg-mirror")
        let store = try JobStore(dataDirectory: folder.path, clock: ManualWallClock())
        let sqlite = try await store.tableColumns()
        let sqliteVersion = try await store.schemaVersion()
        let twin = try #require(PostgresSchema.sqliteTwins[sqliteVersion],
                                "SQLite schema \(sqliteVersion) has no PostgreSQL twin in PostgresSchema.sqliteTwins")
        let server = try await ThrowawayPostgres.shared()
        let connection = try await server.connect(database: try await server.makeDatabase())
        try await connection.migrate(Array(PostgresSchema.migrations.prefix { $0.version <= twin }))
        let rows = try await connection.query("""
            SELECT table_name::text, column_name::text, is_nullable = 'NO' FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
            ORDER BY table_name, ordinal_position
            """)
        let postgres = try rows.map { try $0.decode((String, String, Bool).self) }.map(TableColumn.init)
        #expect(postgres == sqlite)
        await connection.close()
    }

    /// The identity of a status report treats a missing sequence and update time as 0 and '',
    /// as SQLite's `ifnull` index does, so a retried report is refused as a duplicate.
    @Test func aRepeatedStatusReportWithoutSequenceIsADuplicate() async throws {
        let server = try await ThrowawayPostgres.shared()
        let connection = try await server.connect(database: try await server.makeDatabase())
        try await connection.migrate()
        let insert: PostgresQuery = "INSERT INTO status_reports(received_at, sms_msg_id, status) VALUES (1, 'm-1', 'DELIVRD')"
        try await connection.query(insert)
        do {
            try await connection.query(insert)
            Issue.record("the same report was stored twice")
        } catch {
            #expect(error.sqlState == "23505")
        }
        await connection.close()
    }
}

struct TableColumn: Equatable, CustomStringConvertible {
    var table: String
    var column: String
    var notNull: Bool

    init(_ values: (String, String, Bool)) {
        (table, column, notNull) = values
    }

    var description: String { "\(table).\(column)\(notNull ? " NOT NULL" : "")" }
}

extension JobStore {
    /// Every column of the store's tables, in table and column order; primary keys count as NOT NULL.
    func tableColumns() throws -> [TableColumn] {
        try connection.query("""
            SELECT m.name, p.name, p."notnull" OR p.pk > 0 FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid
            """) { TableColumn(($0.text(0), $0.text(1), $0.int(2) != 0)) }
    }
}
