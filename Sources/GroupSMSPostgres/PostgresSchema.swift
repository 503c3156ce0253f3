import Foundation
import PostgresNIO

/// One step of the PostgreSQL store's schema: the statements that take it from `version - 1`
/// to `version`. Released steps are never edited; a change is a new step.
public struct PostgresMigration: Sendable, Equatable {
    /// The version this step brings the schema to (1, 2, ...).
    public var version: Int
    /// What the step is, for `schema_migrations` and logs.
    public var name: String
    /// Its statements, run in order in the migration's transaction (one statement each).
    public var statements: [String]

    /// A step of the schema.
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// The PostgreSQL store's schema as numbered migrations; `schema_migrations` records each one
/// applied, with its name and time.
public enum PostgresSchema {
    /// Every step, in order.
    public static let migrations: [PostgresMigration] = [version1, version2, version3, version4, version5]

    /// The PostgreSQL version whose tables are those of each SQLite schema version (SQLite's 1-4
    /// are PostgreSQL's 1). Versions past the newest twin are PostgreSQL's own (5: fenced leases).
    public static let sqliteTwins: [Int: Int] = [4: 1, 5: 2, 6: 3, 7: 4]

    /// The newest version this build writes.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The transaction-scoped advisory lock ("groupsms" in ASCII) that makes processes which
    /// migrate the same database at once take turns. It is held only inside the migration's
    /// transaction, so a server restart cannot leave it behind.
    static let migrationLock: Int64 = 0x6772_6F75_7073_6D73
}

extension PostgresStoreConnection {
    /// Brings the database to the newest of `migrations` in one transaction and returns the
    /// versions applied now (empty when it was current). A database with a version this build
    /// does not know is refused (`newerSchema`) and left as it is.
    @discardableResult
    public func migrate(_ migrations: [PostgresMigration] = PostgresSchema.migrations)
        async throws(PostgresStoreError) -> [Int] {
        let latest = migrations.last?.version ?? 0
        let store = url
        return try await withTransaction { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
            try await connection.run("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, logger: logger)
            let current = try await Self.version(on: connection, logger: logger)
            guard current <= latest else {
                throw PostgresStoreError.newerSchema(store: store.description, found: current, supported: latest)
            }
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                for statement in migration.statements {
                    do {
                        try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch {
                        throw PostgresStoreError.from(error, store: store, statement: statement)
                    }
                }
                try await connection.run("""
                    INSERT INTO schema_migrations(version, name) VALUES (\(migration.version), \(migration.name))
                    """, logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
    }

    /// The newest version recorded in `schema_migrations` (0 for a database never migrated).
    public func schemaVersion() async throws(PostgresStoreError) -> Int {
        do {
            let exists = try await query("SELECT to_regclass('schema_migrations') IS NOT NULL").first?.decode(Bool.self)
            guard exists == true else { return 0 }
            return try await query("SELECT COALESCE(max(version), 0) FROM schema_migrations").first?.decode(Int.self) ?? 0
        } catch {
            throw PostgresStoreError.from(error, store: url)
        }
    }

    private static func version(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.run("SELECT COALESCE(max(version), 0) FROM schema_migrations", logger: logger)
        for try await version in rows.decode(Int.self) { return version }
        return 0
    }
}
