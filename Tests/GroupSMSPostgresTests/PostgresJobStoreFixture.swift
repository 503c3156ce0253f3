import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSTestSupport

/// A database of its own on the shared throwaway server, and stores on it: each store has its
/// own connection pool, as two daemons would.
struct PostgresJobStoreFixture {
    let server: ThrowawayPostgres
    let database: String
    let clock = ManualWallClock()

    static func make() async throws -> PostgresJobStoreFixture {
        let server = try await ThrowawayPostgres.shared()
        return PostgresJobStoreFixture(server: server, database: try await server.makeDatabase())
    }

    /// A store of its own connection pool (a daemon) on the fixture's database and clock.
    func store(leaseDuration: TimeInterval = 15) async throws -> PostgresJobStore {
        let connection = try await server.connect(database: database)
        return try await PostgresJobStore.open(connection, clock: clock,
                                               options: PostgresJobStoreOptions(leaseDuration: leaseDuration))
    }

    /// A draft of `count` numbers +8613800000000, +8613800000001, ... starting now.
    static func draft(_ count: Int, name: String = "job", rejected: [RejectedEntryDraft] = []) -> JobDraft {
        let numbers = (0..<count).map { NumberDraft(e164: "+86138\(String(format: "%08d", $0))", fileIndex: 0,
                                                    cell: "A\($0 + 2)") }
        return JobDraft(name: name, settings: JobSettings(templateID: "tpl-1", from: "10690000", rate: 500),
                        numbers: numbers, sourceFiles: ["list.xlsx"], rejected: rejected)
    }

    static func runner(_ name: String) -> RunnerLease { RunnerLease(token: "runner-\(name)", pid: 100, host: name) }
}

extension PostgresJobStore {
    /// Closes the store's connection pool.
    func close() async { await connection.close() }
}
