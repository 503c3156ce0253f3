import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport

/// The store a benchmark runs on: SQLite in a data dir, or PostgreSQL (a throwaway server of
/// its own, or an existing one), and how to let go of it.
struct BenchmarkStore {
    let store: any JobStoring
    let label: String
    private let server: ThrowawayPostgres?
    private let connection: PostgresStoreConnection?

    /// Opens the store; on PostgreSQL without `url`, starts a throwaway server first.
    static func open(postgres: Bool, url: String?, directory: String, durability: StoreDurability) async throws
        -> BenchmarkStore {
        guard postgres else {
            let store = try JobStore(dataDirectory: directory, clock: SystemWallClock(),
                                     options: JobStoreOptions(durability: durability))
            return BenchmarkStore(store: store, label: "SQLite \(JobStore.sqliteVersion) WAL in \(directory), "
                                  + "durability \(durability.rawValue)", server: nil, connection: nil)
        }
        var server: ThrowawayPostgres?
        let connection: PostgresStoreConnection
        if let url {
            connection = try await PostgresStoreConnection.connect(try PostgresStoreURL.parse(url),
                                                                   password: try PostgresPassword.resolve(file: nil))
        } else {
            let started = try await ThrowawayPostgres.start()
            server = started
            let database = try await started.makeDatabase()
            connection = try await started.connect(database: database)
        }
        let store = try await PostgresJobStore.open(connection, clock: SystemWallClock(),
                                                    options: PostgresJobStoreOptions(dataDirectory: DataDirectory(path: directory)))
        let shared: any JobStoring = store
        let version = try await connection.query("SHOW server_version").first?.decode(String.self) ?? "?"
        return BenchmarkStore(store: shared, label: "PostgreSQL \(version) at \(connection.url) (\(url == nil ? "throwaway server" : "given"))",
                              server: server, connection: connection)
    }

    /// Closes the connection pool and stops a throwaway server.
    func close() async {
        await connection?.close()
        try? await server?.stopServer()
    }
}
