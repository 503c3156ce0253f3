import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The two stores every contract test runs against (SPEC §9: one set of tests, two stores).
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// One backend's storage for a test: a data dir of its own (SQLite), or a database of its own on
/// the shared throwaway server (PostgreSQL), with one manual clock for every store opened on it.
///
/// `store(_:)` opens a new store each call, with its own connection (pool), as another process
/// or daemon would; close PostgreSQL stores with `close(_:)` at the end.
final class StoreContractFixture: Sendable {
    let backend: StoreBackend
    let clock = ManualWallClock()
    private let directory: TemporaryDirectory?
    private let server: ThrowawayPostgres?
    private let database: String?

    private init(backend: StoreBackend, directory: TemporaryDirectory?, server: ThrowawayPostgres?, database: String?) {
        self.backend = backend
        self.directory = directory
        self.server = server
        self.database = database
    }

    /// Fresh, empty storage on `backend`.
    static func make(_ backend: StoreBackend) async throws -> StoreContractFixture {
        switch backend {
        case .sqlite:
            return StoreContractFixture(backend: backend, directory: try TemporaryDirectory(prefix: "contract"),
                                        server: nil, database: nil)
        case .postgres:
            let server = try await ThrowawayPostgres.shared()
            return StoreContractFixture(backend: backend, directory: nil, server: server,
                                        database: try await server.makeDatabase())
        }
    }

    /// A new store on the fixture's storage, typed as the facets the test uses, e.g.
    /// `try await fixture.store((any JobRecordStoring & ChunkStoring).self)`.
    func store<Store>(_ type: Store.Type, leaseDuration: TimeInterval = 15) async throws -> Store {
        let opened: Any
        switch backend {
        case .sqlite:
            opened = try JobStore(dataDirectory: directory!.path, clock: clock)
        case .postgres:
            let connection = try await server!.connect(database: database!)
            opened = try await PostgresJobStore.open(connection, clock: clock,
                                                     options: PostgresJobStoreOptions(leaseDuration: leaseDuration))
        }
        guard let typed = opened as? Store else {
            throw StoreContractFailure("the \(backend) store does not answer \(Store.self)")
        }
        return typed
    }

    /// Closes a PostgreSQL store's connection pool (nothing to do for SQLite).
    func close(_ store: Any) async {
        if let postgres = store as? PostgresJobStore { await postgres.connection.close() }
    }

    /// A draft of `count` mainland numbers +8613800000000, ... starting now, with windows off.
    static func draft(_ count: Int, name: String = "job", rate: Int = 500,
                      rejected: [RejectedEntryDraft] = []) -> JobDraft {
        let numbers = (0..<count).map { NumberDraft(e164: "+86138\(String(format: "%08d", $0))", fileIndex: 0,
                                                    cell: "A\($0 + 2)") }
        var settings = JobSettings(templateID: "tpl-1", from: "10690000", rate: rate)
        settings.sendWindow = .any
        return JobDraft(name: name, settings: settings, numbers: numbers, sourceFiles: ["list.xlsx"], rejected: rejected)
    }

    /// A runner of a process on host `name`.
    static func runner(_ name: String, pid: Int32 = ProcessInfo.processInfo.processIdentifier) -> RunnerLease {
        RunnerLease(token: "runner-\(name)", pid: pid, host: name)
    }
}

/// A contract test's own failure, with what went wrong.
struct StoreContractFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
