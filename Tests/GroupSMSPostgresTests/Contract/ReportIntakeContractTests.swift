import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSTestSupport
import Testing
@testable import GroupSMSStore

/// The receiver's intake under load and when the store is busy, the same on both stores: many
/// requests at once, from several daemons, are each applied once; a request the store cannot take
/// in time gets nil and leaves nothing behind.
@Suite("Store contract: report intake")
struct ReportIntakeContractTests {
    /// 20 tasks on two stores (two daemons) post single-report requests; every report is posted
    /// twice, by two different tasks. Each is applied once, the other a duplicate.
    @Test(arguments: StoreBackend.allCases)
    func concurrentSingleReportRequestsFrom20TasksAreEachAppliedOnce(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let stores = [try await ReportHarness.open(fixture), try await ReportHarness.open(fixture)]
        let (job, numbers, ids) = try await stores[0].acceptedJob(100, runner: StoreContractFixture.runner("a"))
        let reports = numbers.enumerated().map { index, number in
            StatusReport(smsMsgId: ids[number]!, status: index % 10 == 3 ? "BLACK" : index % 4 == 0 ? "UNDELIV" : "DELIVRD")
        }
        let summaries = try await withThrowingTaskGroup(of: [StatusReportBatchSummary].self) { group in
            for task in 0..<20 {
                let harness = stores[task % 2]
                // Its own five reports, then (backwards) the next task's five.
                let own = Array(reports[(task * 5)..<(task * 5 + 5)])
                let next = Array(reports[(((task + 1) % 20) * 5)..<(((task + 1) % 20) * 5 + 5)].reversed())
                group.addTask {
                    var summaries: [StatusReportBatchSummary] = []
                    for report in own + next { summaries.append(try await harness.receive([report])) }
                    return summaries
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(summaries.count == 200)
        #expect(summaries.reduce(0) { $0 + $1.applied } == 100 && summaries.reduce(0) { $0 + $1.duplicates } == 100)
        #expect(summaries.reduce(0) { $0 + $1.suppressed } == 10)
        let counts = try await stores[0].store.summary(of: job.id)
        #expect(counts.count(.delivered) == 65 && counts.count(.failed) == 35 && counts.awaitingReport == 0)
        #expect(try await stores[1].suppression().count == 10)
        #expect(try await stores[1].store.statusReportIntakeCounts().unknownReceived == 0)
        for harness in stores { await harness.close() }
    }

    /// Four requests of the same 50 reports, each in another order, at once: the numbers are
    /// locked in one order whatever the request's, so none waits for another in a cycle.
    @Test(arguments: StoreBackend.allCases)
    func overlappingBatchesInDifferentOrdersAreAppliedOnce(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let stores = [try await ReportHarness.open(fixture), try await ReportHarness.open(fixture)]
        let (job, numbers, ids) = try await stores[0].acceptedJob(50, runner: StoreContractFixture.runner("a"))
        let reports = numbers.map { StatusReport(smsMsgId: ids[$0]!, status: "DELIVRD") }
        let orders = [reports, reports.reversed(), reports.enumerated().sorted { ($0.offset * 7) % 50 < ($1.offset * 7) % 50 }.map(\.element),
                      reports.suffix(25) + reports.prefix(25)]
        let summaries = try await withThrowingTaskGroup(of: StatusReportBatchSummary.self) { group in
            for (index, order) in orders.enumerated() {
                let harness = stores[index % 2]
                group.addTask { try await harness.receive(order) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(summaries.reduce(0) { $0 + $1.applied } == 50 && summaries.reduce(0) { $0 + $1.duplicates } == 150)
        #expect(try await stores[0].store.summary(of: job.id).count(.delivered) == 50)
        for harness in stores { await harness.close() }
    }

    /// Another connection holds what the request needs (SQLite: the write lock; PostgreSQL: the
    /// number's row). The receiver gets nil within its wait and nothing is stored; once the
    /// other transaction ends, the same request is stored and applied.
    @Test(arguments: StoreBackend.allCases)
    func aRequestTheStoreCannotTakeInTimeGetsNilAndStoresNothing(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let (job, numbers, ids) = try await harness.acceptedJob(2, runner: StoreContractFixture.runner("a"))
        let reports = [StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD"),
                       StatusReport(smsMsgId: "stranger", status: "DELIVRD")]
        let blocker = try await StoreBlocker.hold(job, on: harness)
        let started = ContinuousClock.now
        let refused = try await harness.store.receiveAndApplyStatusReports(reports, malformedEntries: 3,
                                                                           heldLimit: .standard,
                                                                           waitingAtMost: .milliseconds(300))
        let waited = ContinuousClock.now - started
        try await blocker.release()
        #expect(refused == nil)
        #expect(waited < .seconds(20), "the call gave up near its wait, not after the store's own timeouts")
        let applied = try await harness.receive(reports)
        #expect(applied.stored == 2 && applied.applied == 1 && applied.unknown == 1, "nothing of the first call was stored")
        let counts = try await harness.store.statusReportIntakeCounts()
        #expect(counts.malformed == 0 && counts.unknownReceived == 1 && counts.held == 1)
        #expect(try await harness.store.summary(of: job.id).count(.delivered) == 1)
        await harness.close()
    }
}

/// Holds what a report request needs until released: SQLite's write lock (an exclusive
/// transaction on a connection of its own), or on PostgreSQL the rows of a job's numbers
/// (`FOR UPDATE` in an open transaction on another store's connection).
struct StoreBlocker {
    private let releaseLock: @Sendable () async throws -> Void

    static func hold(_ job: JobRecord, on harness: ReportHarness) async throws -> StoreBlocker {
        if let sqlite = harness.store as? JobStore {
            let connection = try SQLiteConnection(path: sqlite.databasePath, busyTimeout: .milliseconds(50),
                                                  durability: .full)
            _ = try connection.execute("BEGIN EXCLUSIVE")
            let holder = SQLiteHolder(connection)
            return StoreBlocker { try holder.rollback() }
        }
        let other = try await ReportHarness.open(harness.fixture)
        guard let postgres = other.store as? PostgresJobStore else { throw StoreContractFailure("not a PostgreSQL store") }
        let (locked, lockedSignal) = AsyncStream.makeStream(of: Void.self)
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        let holding = Task {
            try await postgres.connection.withTransaction { connection in
                _ = try await connection.query("SELECT id FROM numbers WHERE job_id = \(job.id.rawValue) FOR UPDATE",
                                               logger: postgres.connection.logger).collect()
                lockedSignal.yield()
                for await _ in gate { break }
            }
        }
        for await _ in locked { break }
        return StoreBlocker {
            opener.yield()
            opener.finish()
            try await holding.value
            await other.close()
        }
    }

    func release() async throws { try await releaseLock() }
}

/// The SQLite blocker's connection, used from the test's task only.
private final class SQLiteHolder: @unchecked Sendable {
    private let connection: SQLiteConnection
    init(_ connection: SQLiteConnection) { self.connection = connection }
    func rollback() throws { _ = try connection.execute("ROLLBACK") }
}
