import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Applying status reports to numbers, the same on both stores (SPEC §4): duplicates, arrival
/// order, long messages, opted-out statuses, the injected classifier, and reports for a job
/// another daemon runs.
@Suite("Store contract: applying status reports")
struct ReportApplyContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aDuplicateReportChangesNothing(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let (job, numbers, ids) = try await harness.acceptedJob(3, runner: StoreContractFixture.runner("a"))
        let report = StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD", total: 1, sequence: 1,
                                  updateTime: "2026-12-01T00:00:05Z")
        let first = try await harness.receive([report])
        #expect(first.received == 1 && first.stored == 1 && first.applied == 1 && first.delivered == 1)
        fixture.clock.advance(by: 5)
        let again = try await harness.receive([report, report])
        #expect(again.received == 2 && again.duplicates == 2 && again.stored == 0 && again.delivered == 0)
        let summary = try await harness.store.summary(of: job.id)
        #expect(summary.count(.delivered) == 1 && summary.awaitingReport == 2)
        #expect(try await harness.number(numbers[0], of: job.id).reportAt == fixture.clock.now().addingTimeInterval(-5))
        #expect(try await harness.reportsApplied(forMessage: report.smsMsgId) == [true])
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func outOfOrderReportsEndInTheSameState(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let (job, numbers, ids) = try await harness.acceptedJob(3, runner: StoreContractFixture.runner("a"))
        let delivered = { (n: Int) in StatusReport(smsMsgId: ids[numbers[n]]!, status: "DELIVRD", updateTime: "2026-12-01T00:01:00Z") }
        let failed = { (n: Int) in StatusReport(smsMsgId: ids[numbers[n]]!, status: "UNDELIV", updateTime: "2026-12-01T00:02:00Z") }
        // Number 0: the failure first, then the delivery. Number 1: the delivery first (a failure
        // after DELIVRD is recorded but does not undo it). Number 2: both in one request.
        var summary = try await harness.receive([failed(0), delivered(1)])
        #expect(summary.failed == 1 && summary.delivered == 1)
        summary = try await harness.receive([delivered(0), failed(1)])
        #expect(summary.applied == 2 && summary.delivered == 1 && summary.failed == 0)
        summary = try await harness.receive([failed(2), delivered(2)])
        #expect(summary.applied == 2 && summary.delivered == 1)
        let records = try await harness.numbers(of: job.id)
        #expect(records.map(\.state) == [.delivered, .delivered, .delivered])
        #expect(records[0].failureClass == nil && records[0].code == nil && records[0].stage == nil)
        #expect(try await harness.reportsApplied(forMessage: ids[numbers[1]]!) == [true, true])
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func aLongMessageIsDeliveredWhenEveryPartIs(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let (job, numbers, ids) = try await harness.acceptedJob(2, runner: StoreContractFixture.runner("a"))
        let part = { (n: Int, sequence: Int, status: String) in
            StatusReport(smsMsgId: ids[numbers[n]]!, status: status, total: 3, sequence: sequence)
        }
        var summary = try await harness.receive([part(0, 3, "DELIVRD"), part(0, 2, "DELIVRD")])
        #expect(summary.applied == 2 && summary.delivered == 0)
        #expect(try await harness.number(numbers[0], of: job.id).state == .accepted)
        summary = try await harness.receive([part(0, 1, "DELIVRD")])
        #expect(summary.delivered == 1)
        #expect(try await harness.number(numbers[0], of: job.id).state == .delivered)

        summary = try await harness.receive([part(1, 1, "DELIVRD"), part(1, 2, "UNDELIV")])
        #expect(summary.failed == 1)
        let failed = try await harness.number(numbers[1], of: job.id)
        #expect(failed.state == .failed && failed.code == "UNDELIV" && failed.stage == .delivery)
        // The SMSC retried part 2 and delivered it; part 3 is still missing.
        _ = try await harness.receive([part(1, 2, "DELIVRD")])
        #expect(try await harness.number(numbers[1], of: job.id).state == .failed)
        summary = try await harness.receive([part(1, 3, "DELIVRD")])
        #expect(summary.delivered == 1)
        #expect(try await harness.number(numbers[1], of: job.id).state == .delivered)
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func optedOutStatusesSuppressTheNumberForLaterJobs(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let runner = StoreContractFixture.runner("a")
        let (job, numbers, ids) = try await harness.acceptedJob(4, runner: runner)
        let summary = try await harness.receive([
            StatusReport(smsMsgId: ids[numbers[0]]!, status: "BLACK"),
            StatusReport(smsMsgId: ids[numbers[1]]!, status: "SC:0016"),
            StatusReport(smsMsgId: ids[numbers[2]]!, status: "UNDELIV"),
            StatusReport(smsMsgId: ids[numbers[3]]!, status: "DELIVRD"),
            StatusReport(smsMsgId: ids[numbers[3]]!, status: "REJECTD", updateTime: "2026-12-01T01:00:00Z"),
        ])
        #expect(summary.failed == 3 && summary.delivered == 1 && summary.suppressed == 3)
        let black = try await harness.number(numbers[0], of: job.id)
        #expect(black.state == .failed && black.failureClass == .optedOut && black.stage == .delivery && black.code == "BLACK")
        #expect(try await harness.number(numbers[2], of: job.id).failureClass == .retryable)
        // The refusal after DELIVRD does not undo the delivery, but the number did refuse: suppressed.
        #expect(try await harness.number(numbers[3], of: job.id).state == .delivered)
        let list = try await harness.suppression()
        #expect(Set(list.map(\.number)) == [numbers[0], numbers[1], numbers[3]])
        #expect(list.allSatisfy { $0.sourceJob == job.id })
        #expect(list.first { $0.number == numbers[1] }?.code == "SC:0016")
        #expect(try await harness.events(of: job.id).contains { $0.kind == .suppressed && $0.message.contains("3 numbers") })
        let shown = try await harness.store.summary(of: job.id)
        #expect(shown.failuresByClass == [.optedOut: 2, .retryable: 1])
        #expect(shown.failuresByReason == ["BLACK": 1, "SC:0016": 1, "UNDELIV": 1])

        // A later job of the same numbers stores the suppressed ones failed, and says why.
        let later = try await harness.store.createJob(StoreContractFixture.draft(4, name: "later"), runner: runner)
        #expect(try await harness.claim(later.id, runner: runner)?.numbers == [numbers[2]])
        let skipped = try await harness.numbers(of: later.id).filter { $0.state == .failed }
        #expect(skipped.map(\.e164) == [numbers[0], numbers[1], numbers[3]])
        #expect(skipped.allSatisfy { $0.code == "SUPPRESSED" && $0.failureClass == .optedOut })
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func theInjectedClassifierDecidesClassesAndDescriptions(backend: StoreBackend) async throws {
        let classified = try await ClassifiedStore.open(backend, classifier: StrictClassifier())
        let harness = classified.harness
        let (job, numbers, ids) = try await harness.acceptedJob(2, runner: StoreContractFixture.runner("a"))
        _ = try await harness.receive([StatusReport(smsMsgId: ids[numbers[0]]!, status: "UNDELIV"),
                                       StatusReport(smsMsgId: ids[numbers[1]]!, status: "ACCEPTD")])
        let records = try await harness.numbers(of: job.id)
        #expect(records[0].failureClass == .optedOut && records[0].description == "catalogue text for UNDELIV")
        #expect(records[1].failureClass == .retryable && records[1].code == "ACCEPTD")
        #expect(try await harness.suppression().map(\.reason) == ["catalogue text for UNDELIV"])
        await classified.close()
    }

    /// The receiver of one daemon applies reports for a job another daemon runs, without its
    /// lease: deliveries, and confirmations of the runner's unconfirmed chunk. The runner's
    /// lease is untouched, so it goes on answering.
    @Test(arguments: StoreBackend.allCases)
    func aReportForAJobRunByAnotherStoreIsApplied(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let runnerStore = try await ReportHarness.open(fixture)
        let receiver = try await ReportHarness.open(fixture)
        let runner = StoreContractFixture.runner("a")
        let job = try await runnerStore.store.createJob(StoreContractFixture.draft(4), runner: runner)
        let first = try #require(try await runnerStore.claim(job.id, runner: runner, maxNumbers: 2))
        _ = try await runnerStore.answer(first.id, runner: runner, StoreFixtures.acceptAll(first, at: fixture.clock.now()))
        let second = try #require(try await runnerStore.claim(job.id, runner: runner, maxNumbers: 2))
        try await runnerStore.unconfirm(second.id, runner: runner, reason: "timed out")

        let summary = try await receiver.receive([
            StatusReport(smsMsgId: "\(first.extendTag)-0", status: "DELIVRD"),
            StatusReport(smsMsgId: "\(first.extendTag)-1", status: "UNDELIV"),
            StatusReport(smsMsgId: "far-1", status: "DELIVRD", extend: second.extendTag, to: second.numbers[0]),
        ])
        #expect(summary.applied == 3 && summary.delivered == 2 && summary.failed == 1 && summary.confirmed == 1)
        let counts = try await runnerStore.store.summary(of: job.id)
        #expect(counts.count(.delivered) == 2 && counts.count(.failed) == 1 && counts.count(.unconfirmed) == 1)
        #expect(try await runnerStore.store.heartbeat(job.id, runner: runner) == .running)
        #expect(try await runnerStore.store.job(job.id).runner?.token == runner.token)
        await runnerStore.close()
        await receiver.close()
    }
}

/// Every status but DELIVRD fails; UNDELIV is an opt-out; descriptions from a "catalogue".
struct StrictClassifier: ReportStatusClassifier {
    func verdict(for status: String) -> ReportStatusVerdict {
        status == "DELIVRD" ? .delivered : .failed(status == "UNDELIV" ? .optedOut : .retryable)
    }

    func description(for status: String) -> String { "catalogue text for \(status)" }
}

/// A store opened with a report classifier of the test's (the contract fixture opens stores with
/// the default options), on storage of its own.
struct ClassifiedStore {
    let harness: ReportHarness
    private let sqliteFolder: TemporaryDirectory?

    static func open(_ backend: StoreBackend, classifier: any ReportStatusClassifier) async throws -> ClassifiedStore {
        let fixture = try await StoreContractFixture.make(backend)
        let store: ReportHarness.Store
        var folder: TemporaryDirectory?
        switch backend {
        case .sqlite:
            folder = try TemporaryDirectory(prefix: "classified")
            store = try JobStore(dataDirectory: folder!.path, clock: fixture.clock,
                                 options: JobStoreOptions(reportClassifier: classifier))
        case .postgres:
            let server = try await ThrowawayPostgres.shared()
            let connection = try await server.connect(database: try await server.makeDatabase())
            store = try await PostgresJobStore.open(connection, clock: fixture.clock,
                                                    options: PostgresJobStoreOptions(reportClassifier: classifier))
        }
        return ClassifiedStore(harness: ReportHarness(fixture: fixture, store: store), sqliteFolder: folder)
    }

    func close() async { await harness.close() }
}
