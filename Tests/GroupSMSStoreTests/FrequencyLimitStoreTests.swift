import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct FrequencyLimitStoreTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let margin = FrequencyLimits.platform.safetyMargin

    init() throws {
        folder = try TemporaryDirectory(prefix: "limits")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    @Test func jobsToTheSameNumbersAtOnceShareTheHistoryAcrossConnections() async throws {
        let numbers = StoreFixtures.numbers(10)
        // A second connection stands for a second process running a job at the same moment.
        let otherProcess = try JobStore(dataDirectory: folder.path, clock: clock)
        let first = StoreFixtures.remoteLease("first")
        let second = StoreFixtures.remoteLease("second")
        let third = StoreFixtures.remoteLease("third")
        let fourth = StoreFixtures.remoteLease("fourth")
        let jobA = try await store.createJob(StoreFixtures.draft(numbers), runner: first)
        let jobB = try await otherProcess.createJob(StoreFixtures.draft(numbers), runner: second)
        let jobC = try await store.createJob(StoreFixtures.draft(numbers), runner: third)
        let jobD = try await otherProcess.createJob(StoreFixtures.draft(numbers, maxDefer: 30), runner: fourth)
        #expect(try await store.claimChunk(for: jobA.id, runner: first).chunk?.numbers.count == 10)
        clock.advance(by: 1)
        #expect(try await otherProcess.claimChunk(for: jobB.id, runner: second).chunk?.numbers.count == 10)
        clock.advance(by: 1)
        // Same content a third time within 59 s: deferred until the first send leaves the window.
        let deferred = try await store.claimChunk(for: jobC.id, runner: third)
        #expect(deferred.chunk == nil)
        #expect(deferred.deferred == 10)
        #expect(!deferred.isDrained)
        let due = clock.now().addingTimeInterval(-2 + 59 + margin)
        #expect(deferred.nextDeferredDue == due)
        let waiting = try await store.summary(of: jobC.id)
        #expect(waiting.deferredByReason == ["FREQUENCY_LIMIT": 10] && waiting.nextDeferredByReason["FREQUENCY_LIMIT"] == due)
        // With max-defer 30 s the same wait is a local limit with the time it becomes allowed.
        let limited = try await otherProcess.claimChunk(for: jobD.id, runner: fourth)
        #expect(limited.limited == 10 && limited.isDrained)
        let failures = try await otherProcess.numbers(of: jobD.id, states: [.failed])
        #expect(Set(failures.map(\.code)) == ["LOCAL_LIMIT"])
        #expect(failures[0].description?.contains(StoreTime.iso(due)) == true)
        #expect(try await otherProcess.summary(of: jobD.id).failuresByReason == ["LOCAL_LIMIT": 10])
        // Nothing is sent before the deferral ends; at that moment all ten go.
        clock.set(due.addingTimeInterval(-1))
        #expect(try await store.claimChunk(for: jobC.id, runner: third).chunk == nil)
        clock.set(due)
        let resent = try await store.claimChunk(for: jobC.id, runner: third)
        #expect(resent.chunk?.numbers.count == 10)
        #expect(resent.isDrained)
    }

    @Test func deferredNumbersDoNotStallTheRest() async throws {
        let numbers = StoreFixtures.numbers(30)
        let job = try await store.createJob(StoreFixtures.draft(numbers), runner: StoreFixtures.remoteLease())
        // Five of them had this content twice a moment ago (another tool's sends).
        let busy = Array(numbers[3..<8])
        try await store.recordSends(of: busy, contentKey: job.contentKey, at: clock.now().addingTimeInterval(-20))
        try await store.recordSends(of: busy, contentKey: job.contentKey, at: clock.now().addingTimeInterval(-10))
        let claim = try await store.claimChunk(for: job.id, runner: try #require(try await store.job(job.id).runner).lease,
                                               maxNumbers: 20)
        let chunk = try #require(claim.chunk)
        #expect(claim.deferred == 5)
        #expect(chunk.numbers.count == 20, "the chunk is topped up past the deferred numbers")
        #expect(chunk.numbers == Array(numbers[0..<3] + numbers[8..<25]))
        let decisions = try await store.frequencyDecisions(for: [busy[0], numbers[29]], contentKey: job.contentKey,
                                                           maxDefer: 3600)
        #expect(decisions[numbers[29]] == .sendNow)
        #expect(decisions[busy[0]] == .deferUntil(clock.now().addingTimeInterval(-20 + 59 + margin),
                                                  rule: "the same content 2 times per 59 seconds"))
    }

    @Test func numbersSuppressedAfterTheJobWasCreatedAreSkippedAtSendTime() async throws {
        let numbers = StoreFixtures.numbers(4)
        let lease = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(numbers), runner: lease)
        try await store.suppress([numbers[1]], code: "REJECTD", reason: "recipient refused", sourceJob: job.id)
        let claim = try await store.claimChunk(for: job.id, runner: lease)
        #expect(claim.suppressed == 1)
        #expect(claim.chunk?.numbers == [numbers[0], numbers[2], numbers[3]])
        let skipped = try await store.numbers(of: job.id, states: [.failed])
        #expect(skipped.map(\.code) == ["SUPPRESSED"] && skipped.map(\.failureClass) == [.optedOut])
    }

    @Test func numbersCanBeHeldUntilATimeAndComeBackWhenDue() async throws {
        let numbers = StoreFixtures.numbers(6)
        let lease = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(numbers), runner: lease)
        let until = clock.now().addingTimeInterval(900)
        #expect(try await store.deferNumbers(of: job.id, runner: lease, numbers: [numbers[0], numbers[1]], until: until,
                                             reason: "platform per-number limit") == 2)
        let first = try await store.claimChunk(for: job.id, runner: lease)
        #expect(first.chunk?.numbers == Array(numbers[2...]))
        #expect(first.nextDeferredDue == until && !first.isDrained)
        #expect(try await store.summary(of: job.id).deferredByReason == ["HELD": 2])
        #expect(try await store.deferNumbers(of: job.id, runner: lease, until: until, reason: "held by hand") == 2)
        await #expect(throws: StoreError.self) {
            try await store.deferNumbers(of: job.id, runner: StoreFixtures.remoteLease("other"), until: until, reason: "x")
        }
        clock.set(until)
        let second = try await store.claimChunk(for: job.id, runner: lease)
        #expect(second.chunk?.numbers == [numbers[0], numbers[1]])
        #expect(second.isDrained)
    }

    @Test func historyIsPrunedByAge() async throws {
        try await store.recordSends(of: ["+8613900000001"], contentKey: "k", at: clock.now().addingTimeInterval(-90_000))
        try await store.recordSends(of: ["+8613900000001"], contentKey: "k", at: clock.now())
        #expect(try await store.pruneSendHistory(before: clock.now().addingTimeInterval(-86_400 - margin)) == 1)
        #expect(try await store.sendHistory(for: ["+8613900000001"], since: .distantPast)["+8613900000001"]?.count == 1)
    }
}

extension RunnerInfo {
    /// The lease this runner holds (tests act as the runner recorded on a job).
    var lease: RunnerLease { RunnerLease(token: token, pid: pid, host: host) }
}
