import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

/// Claims under send windows (SPEC §8): numbers outside theirs are postponed, never dropped,
/// while the others go on; they come back when it opens, in file order.
@Suite struct SendWindowClaimTests {
    let folder: TemporaryDirectory
    let clock: ManualWallClock
    let store: JobStore

    init() throws {
        folder = try TemporaryDirectory(prefix: "windows")
        clock = ManualWallClock(start: try Self.instant("2026-12-01T21:59:59+08:00"))
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    static func instant(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text), "unreadable test instant \(text)")
    }

    /// `count` distinct UK mobile numbers.
    static func britishNumbers(_ count: Int, block: Int = 0) -> [String] {
        (0..<count).map { "+447700" + String(format: "%01d%05d", block, $0) }
    }

    /// Mainland and UK numbers taken in turn, so file order mixes them.
    static func mixed(_ count: Int, block: Int) -> [String] {
        zip(StoreFixtures.numbers(count, block: block), britishNumbers(count, block: block)).flatMap { [$0, $1] }
    }

    private func job(_ numbers: [String], window: SendWindowSetting = .regionDefaults, maxDefer: TimeInterval = 3600,
                     sendBy: Date? = nil) async throws -> (JobID, RunnerLease) {
        let lease = StoreFixtures.remoteLease()
        var draft = StoreFixtures.draft(numbers, maxDefer: maxDefer, sendWindow: window)
        draft.sendBy = sendBy
        return (try await store.createJob(draft, runner: lease).id, lease)
    }

    private func accept(_ claim: ChunkClaim, lease: RunnerLease) async throws {
        guard let chunk = claim.chunk else { return }
        _ = try await store.recordChunkAnswer(chunk.id, runner: lease, answer: StoreFixtures.acceptAll(chunk, at: clock.now()))
    }

    @Test func mainlandNumbersGoAt215959AreHeldFrom2200AndComeBackAtEightInFileOrder() async throws {
        let (early, earlyLease) = try await job(Self.mixed(4, block: 0))
        let before = try await store.claimChunk(for: early, runner: earlyLease)
        #expect(before.chunk?.numbers.count == 8 && before.postponed == 0 && before.isDrained)
        try await accept(before, lease: earlyLease)

        clock.set(try Self.instant("2026-12-01T22:00:00+08:00"))
        let numbers = Self.mixed(4, block: 1)
        let (late, lease) = try await job(numbers)
        let night = try await store.claimChunk(for: late, runner: lease)
        #expect(night.chunk?.numbers == Self.britishNumbers(4, block: 1), "the others go on")
        #expect(night.postponed == 4 && night.deferred == 0 && !night.isDrained)
        let opening = try Self.instant("2026-12-02T08:00:00+08:00")
        #expect(night.nextDeferredDue == opening)
        try await accept(night, lease: lease)
        let held = try await store.numbers(of: late, states: [.deferred])
        #expect(held.map(\.e164) == StoreFixtures.numbers(4, block: 1))
        #expect(held.allSatisfy { $0.code == "SEND_WINDOW" && $0.deferredUntil == opening })
        #expect(held.allSatisfy { $0.description == nil }, "the reason and the instant say it all")
        let summary = try await store.summary(of: late)
        #expect(summary.count(.deferred) == 4 && summary.deferredByReason == ["SEND_WINDOW": 4])
        #expect(summary.nextDeferredByReason["SEND_WINDOW"] == opening && summary.nextDeferredAt == opening)
        #expect(summary.job.sendWindow == .regionDefaults && summary.failuresByReason.isEmpty)

        clock.set(opening.addingTimeInterval(-1))
        let stillNight = try await store.claimChunk(for: late, runner: lease)
        #expect(stillNight.chunk == nil && stillNight.postponed == 0 && stillNight.released == 0)
        clock.set(opening)
        // Two at a time: a number counts as released when it leaves the wait, not when it is read.
        let morning = try await store.claimChunk(for: late, runner: lease, maxNumbers: 2)
        #expect(morning.chunk?.numbers == Array(StoreFixtures.numbers(4, block: 1).prefix(2)))
        #expect(morning.released == 2 && !morning.isDrained)
        try await accept(morning, lease: lease)
        let rest = try await store.claimChunk(for: late, runner: lease, maxNumbers: 2)
        #expect(rest.chunk?.numbers == Array(StoreFixtures.numbers(4, block: 1).suffix(2)))
        #expect(rest.released == 2 && rest.isDrained)
        try await accept(rest, lease: lease)
        let done = try await store.summary(of: late)
        #expect(done.count(.accepted) == 8 && done.total == 8 && done.deferredByReason.isEmpty)
        let code = try await store.numbers(of: late).map(\.code)
        #expect(code.allSatisfy { $0 == nil }, "a number that leaves the wait loses its reason")
    }

    @Test func aPostponedNumberCountsAsReleasedOnlyWhenItLeavesTheWait() async throws {
        clock.set(try Self.instant("2026-12-01T23:00:00+08:00"))
        let numbers = StoreFixtures.numbers(4)
        let (job, lease) = try await job(numbers)
        #expect(try await store.claimChunk(for: job, runner: lease).postponed == 4)
        // The first two wait for something else until 07:00; the first has had this content twice.
        let seven = try Self.instant("2026-12-02T07:00:00+08:00")
        #expect(try await store.deferNumbers(of: job, runner: lease, numbers: Array(numbers.prefix(2)), until: seven,
                                             reason: "held") == 2)
        let opening = try Self.instant("2026-12-02T08:00:00+08:00")
        let contentKey = try await store.job(job).contentKey
        try await store.recordSends(of: [numbers[0], numbers[0]], contentKey: contentKey, at: opening.addingTimeInterval(-30))
        clock.set(opening)
        // Round one: the limited number and one sent; round two reads both postponed ones, and
        // only the first fits in the chunk: it alone leaves the wait.
        let claim = try await store.claimChunk(for: job, runner: lease, maxNumbers: 2)
        #expect(claim.chunk?.numbers == [numbers[1], numbers[2]] && claim.deferred == 1)
        #expect(claim.released == 1)
        #expect(try await store.summary(of: job).deferredByReason == ["FREQUENCY_LIMIT": 1, "SEND_WINDOW": 1])
    }

    @Test func maxDeferDoesNotLimitAWaitForTheWindow() async throws {
        clock.set(try Self.instant("2026-12-01T23:30:00+08:00"))
        let (job, lease) = try await job(StoreFixtures.numbers(3), maxDefer: 60)
        let claim = try await store.claimChunk(for: job, runner: lease)
        #expect(claim.postponed == 3 && claim.limited == 0)
        #expect(try await store.summary(of: job).failuresByReason.isEmpty)
        #expect(claim.nextDeferredDue == (try Self.instant("2026-12-02T08:00:00+08:00")))
    }

    @Test func theDeadlineFailsTheWaitingNumbersAsRetryableAndARerunKeepsTheWindowNotTheDeadline() async throws {
        clock.set(try Self.instant("2026-12-01T22:30:00+08:00"))
        let deadline = try Self.instant("2026-12-01T23:00:00+08:00")
        let numbers = StoreFixtures.numbers(3) + Self.britishNumbers(2)
        let (job, lease) = try await job(numbers, sendBy: deadline)
        // The mainland numbers' window opens only after the deadline: they wait for the deadline.
        let night = try await store.claimChunk(for: job, runner: lease, maxNumbers: 1)
        #expect(night.chunk?.numbers == [Self.britishNumbers(2)[0]] && night.postponed == 3)
        #expect(night.nextDeferredDue == deadline)
        try await accept(night, lease: lease)
        clock.set(deadline)
        let late = try await store.claimChunk(for: job, runner: lease)
        #expect(late.chunk == nil && late.expired == 4 && late.released == 3 && late.isDrained)
        _ = try await store.finishJob(job, runner: lease)
        let summary = try await store.summary(of: job)
        #expect(summary.failuresByReason == ["SEND_WINDOW": 4] && summary.failuresByClass == [.retryable: 4])
        #expect(summary.job.sendBy == deadline && summary.count(.accepted) == 1)
        let failed = try await store.numbers(of: job, states: [.failed])
        #expect(failed.allSatisfy { $0.stage == .local && $0.description?.contains("--send-by 2026-12-01T15:00:00Z") == true })
        let rerun = try await store.rerunJob(job)
        #expect(rerun.retryable == 4 && rerun.job.sendWindow == .regionDefaults && rerun.job.sendBy == nil)
    }

    @Test func aDeadlineBeforeTheStartIsRefused() async throws {
        var draft = StoreFixtures.draft(StoreFixtures.numbers(1), scheduledAt: clock.now().addingTimeInterval(3600))
        draft.sendBy = clock.now().addingTimeInterval(60)
        await #expect(throws: StoreError.self) { try await store.createJob(draft) }
    }

    @Test func pauseResumeAndATakeOverAfterACrashKeepTheDeferral() async throws {
        clock.set(try Self.instant("2026-12-01T23:00:00+08:00"))
        let (job, lease) = try await job(StoreFixtures.numbers(5))
        #expect(try await store.claimChunk(for: job, runner: lease).postponed == 5)
        let before = try await store.numbers(of: job)
        _ = try await store.pauseJob(job)
        _ = try await store.releaseJob(job, runner: lease)
        let resumed = RunnerLease(token: "resumed", pid: 4_000_001, host: "elsewhere.example")
        _ = try await store.resumeJob(job, runner: resumed)
        #expect(try await store.numbers(of: job) == before)
        // The resumed runner dies (no heartbeat for longer than the liveness limit); a successor takes over.
        clock.advance(by: 600)
        let successor = StoreFixtures.remoteLease("successor")
        let report = try await store.resumeJob(job, runner: successor)
        #expect(report.recoveredNumbers == 0)
        #expect(try await store.numbers(of: job) == before)
        #expect(try await store.claimChunk(for: job, runner: successor).chunk == nil)
        clock.set(try Self.instant("2026-12-02T08:00:00+08:00"))
        let morning = try await store.claimChunk(for: job, runner: successor)
        #expect(morning.chunk?.numbers == StoreFixtures.numbers(5) && morning.released == 5)
    }

    @Test func aNightOfMainlandNumbersIsPostponedInSharesOfAClaim() async throws {
        clock.set(try Self.instant("2026-12-01T23:00:00+08:00"))
        let (job, lease) = try await job(StoreFixtures.numbers(25_000))
        var shares: [Int] = []
        var elapsed: [Duration] = []
        for _ in 0..<5 {
            let started = ContinuousClock.now
            let claim = try await store.claimChunk(for: job, runner: lease)
            elapsed.append(ContinuousClock.now - started)
            #expect(claim.chunk == nil)
            shares.append(claim.postponed)
            if !claim.hasMoreDue { break }
        }
        print("send windows: postponing 25,000 numbers took claims of \(elapsed) (debug build)")
        #expect(shares == [10_000, 10_000, 5_000])
        #expect(try await store.summary(of: job).deferredByReason == ["SEND_WINDOW": 25_000])
    }
}
