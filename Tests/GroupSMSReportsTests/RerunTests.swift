import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct RerunTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "rerun")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    @Test func aRerunHoldsTheRetryableNumbersWithTheSameContent() async throws {
        let mixed = try await MixedJob.make(store: store, clock: clock, runner: runner)
        let n = mixed.numbers
        let start = clock.now().addingTimeInterval(3600)
        let result = try await store.rerunJob(mixed.job.id, scheduledAt: start)
        #expect(result.retryable == 5 && result.unconfirmed == 0 && result.suppressed.isEmpty)
        let rerun = result.job
        #expect(rerun.rerunOf == mixed.job.id && rerun.state == .scheduled && rerun.scheduledAt == start)
        #expect(rerun.name == "mixed rerun")
        #expect(rerun.templateID == mixed.job.templateID && rerun.params == mixed.job.params)
        #expect(rerun.signature == mixed.job.signature && rerun.from == mixed.job.from && rerun.rate == mixed.job.rate)
        #expect(rerun.contentKey == mixed.job.contentKey && rerun.sourceFiles == mixed.job.sourceFiles)
        // UNDELIV, EXPIRED, E200041, not sent, LOCAL_LIMIT; not delivered, opted-out, unconfirmed or invalid.
        let numbers = try await store.numbers(of: rerun.id)
        #expect(numbers.map(\.e164) == [n[1], n[3], n[4], n[5], n[7]])
        #expect(numbers.allSatisfy { $0.state == .pending })
        #expect(numbers.map(\.cell) == ["A3", "A5", "A6", "A7", "A9"], "numbers keep their cells")
        // `show` links both ways.
        #expect(try await store.summary(of: mixed.job.id).reruns == [rerun.id])
        let shown = try await store.summary(of: rerun.id)
        #expect(shown.job.rerunOf == mixed.job.id && shown.reruns.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(
            try await store.summary(of: mixed.job.id))) as? [String: Any])
        #expect(json["reruns"] as? [String] == [rerun.id.description])
        #expect(try await store.events(of: mixed.job.id).last?.message == "rerun as \(rerun.id) with 5 retryable numbers")
    }

    @Test func unconfirmedNumbersAreIncludedOnlyWhenAsked() async throws {
        let mixed = try await MixedJob.make(store: store, clock: clock, runner: runner)
        let result = try await store.rerunJob(mixed.job.id, includeUnconfirmed: true, name: "again")
        #expect(result.retryable == 5 && result.unconfirmed == 1 && result.job.name == "again")
        let n = mixed.numbers
        #expect(try await store.numbers(of: result.job.id).map(\.e164) == [n[1], n[3], n[4], n[5], n[6], n[7]])
    }

    @Test func suppressedNumbersAreSkippedAndReported() async throws {
        let mixed = try await MixedJob.make(store: store, clock: clock, runner: runner)
        try await store.suppress([mixed.numbers[4]], code: "MANUAL", reason: "asked to stop")
        let result = try await store.rerunJob(mixed.job.id)
        #expect(result.suppressed == [mixed.numbers[4]])
        let skipped = try await store.numbers(of: result.job.id, states: [.failed])
        #expect(skipped.map(\.e164) == [mixed.numbers[4]] && skipped[0].code == "SUPPRESSED")
        #expect(try await store.summary(of: result.job.id).count(.pending) == 4)
    }

    @Test func refusedWhileRunningAndWhenNothingIsRetryable() async throws {
        let numbers = StoreFixtures.numbers(2)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        await #expect(throws: StoreError.self) { try await store.rerunJob(job.id) }
        _ = try await store.applyStatusReports(numbers.map { StatusReport(smsMsgId: ids[$0]!, status: "DELIVRD") })
        _ = try await store.finishJob(job.id, runner: runner)
        await #expect(throws: StoreError.invalidInput("\(job.id) has no retryable numbers to rerun")) {
            try await store.rerunJob(job.id)
        }
        let unconfirmed = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(3, block: 1)), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: unconfirmed.id, runner: runner).chunk)
        _ = try await store.markChunkUnconfirmed(chunk.id, runner: runner, reason: "timed out")
        _ = try await store.finishJob(unconfirmed.id, runner: runner)
        await #expect(throws: StoreError.invalidInput("\(unconfirmed.id) has no retryable numbers to rerun; its 3 "
                                                      + "unconfirmed numbers can be sent again with --include-unconfirmed")) {
            try await store.rerunJob(unconfirmed.id)
        }
        #expect(try await store.rerunJob(unconfirmed.id, includeUnconfirmed: true).unconfirmed == 3)
    }
}
