import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Claims under send windows (SPEC §8): numbers outside theirs are postponed, never dropped,
/// while the others go on; they come back when it opens, in file order; the deadline fails them.
@Suite("Store contract: send windows")
struct ChunkSendWindowContractTests {
    @Test(arguments: StoreBackend.allCases)
    func mainlandNumbersAreHeldFrom2200AndComeBackAtEightInFileOrder(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let clock = fixture.clock, lease = StoreFixtures.remoteLease()
        clock.set(try ChunkContract.instant("2026-12-01T21:59:59+08:00"))
        let early = try await ChunkContract.runningJob(store, ChunkContract.mixed(4, block: 0), runner: lease,
                                                       window: .regionDefaults)
        let before = try await store.claimChunk(for: early, runner: lease)
        #expect(before.chunk?.numbers.count == 8 && before.postponed == 0 && before.isDrained)

        clock.set(try ChunkContract.instant("2026-12-01T22:00:00+08:00"))
        let mainland = StoreFixtures.numbers(4, block: 1)
        let late = try await ChunkContract.runningJob(store, ChunkContract.mixed(4, block: 1), runner: lease,
                                                      window: .regionDefaults)
        let night = try await store.claimChunk(for: late, runner: lease)
        #expect(night.chunk?.numbers == ChunkContract.britishNumbers(4, block: 1), "the others go on")
        #expect(night.postponed == 4 && night.deferred == 0 && !night.isDrained)
        let opening = try ChunkContract.instant("2026-12-02T08:00:00+08:00")
        #expect(night.nextDeferredDue == opening)
        try await ChunkContract.acceptAll(night, store, runner: lease, at: clock.now())
        let held = try await store.numbers(of: late, states: [.deferred], afterPosition: -1, limit: 100)
        #expect(held.map(\.e164) == mainland)
        #expect(held.allSatisfy { $0.code == "SEND_WINDOW" && $0.deferredUntil == opening && $0.description == nil })
        let summary = try await store.summary(of: late)
        #expect(summary.count(.deferred) == 4 && summary.deferredByReason == ["SEND_WINDOW": 4])
        #expect(summary.nextDeferredByReason["SEND_WINDOW"] == opening && summary.job.sendWindow == .regionDefaults)

        clock.set(opening.addingTimeInterval(-1))
        let stillNight = try await store.claimChunk(for: late, runner: lease)
        #expect(stillNight.chunk == nil && stillNight.postponed == 0 && stillNight.released == 0)
        clock.set(opening)
        // Two at a time: a number counts as released when it leaves the wait, not when it is read.
        let morning = try await store.claimChunk(for: late, runner: lease, maxNumbers: 2)
        #expect(morning.chunk?.numbers == Array(mainland.prefix(2)) && morning.released == 2 && !morning.isDrained)
        try await ChunkContract.acceptAll(morning, store, runner: lease, at: clock.now())
        let rest = try await store.claimChunk(for: late, runner: lease, maxNumbers: 2)
        #expect(rest.chunk?.numbers == Array(mainland.suffix(2)) && rest.released == 2 && rest.isDrained)
        try await ChunkContract.acceptAll(rest, store, runner: lease, at: clock.now())
        let done = try await store.summary(of: late)
        #expect(done.count(.accepted) == 8 && done.deferredByReason.isEmpty)
        let codes = try await store.numbers(of: late, states: nil, afterPosition: -1, limit: 100).map(\.code)
        #expect(codes.allSatisfy { $0 == nil }, "a number that leaves the wait loses its reason")
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aPostponedNumberCountsAsReleasedOnlyWhenItLeavesTheWait(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let clock = fixture.clock, lease = StoreFixtures.remoteLease(), earlier = StoreFixtures.remoteLease("earlier")
        clock.set(try ChunkContract.instant("2026-12-01T23:00:00+08:00"))
        let numbers = StoreFixtures.numbers(4)
        let job = try await ChunkContract.runningJob(store, numbers, runner: lease, window: .regionDefaults)
        #expect(try await store.claimChunk(for: job, runner: lease).postponed == 4)
        // The first two wait for something else until 07:00; the first had a message just before 08:00.
        let seven = try ChunkContract.instant("2026-12-02T07:00:00+08:00")
        #expect(try await store.deferNumbers(of: job, runner: lease, numbers: Array(numbers.prefix(2)), until: seven,
                                             reason: "held", code: DeferralReason.held) == 2)
        let opening = try ChunkContract.instant("2026-12-02T08:00:00+08:00")
        clock.set(opening.addingTimeInterval(-30))
        let other = try await ChunkContract.runningJob(store, [numbers[0]], runner: earlier)
        #expect(try await store.claimChunk(for: other, runner: earlier).chunk?.numbers == [numbers[0]])
        clock.set(opening)
        // Round one: the limited number and one sent; round two reads both postponed ones, and
        // only the first fits in the chunk: it alone leaves the wait.
        let claim = try await store.claimChunk(for: job, runner: lease, maxNumbers: 2, limits: ChunkContract.onePerMinute,
                                               pace: nil, zones: nil)
        #expect(claim.chunk?.numbers == [numbers[1], numbers[2]] && claim.deferred == 1 && claim.released == 1)
        #expect(try await store.summary(of: job).deferredByReason == ["FREQUENCY_LIMIT": 1, "SEND_WINDOW": 1])
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func maxDeferDoesNotLimitAWaitForTheWindow(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let lease = StoreFixtures.remoteLease()
        fixture.clock.set(try ChunkContract.instant("2026-12-01T23:30:00+08:00"))
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(3), runner: lease,
                                                     window: .regionDefaults, maxDefer: 60)
        let claim = try await store.claimChunk(for: job, runner: lease)
        #expect(claim.postponed == 3 && claim.limited == 0)
        #expect(try await store.summary(of: job).failuresByReason.isEmpty)
        #expect(claim.nextDeferredDue == (try ChunkContract.instant("2026-12-02T08:00:00+08:00")))
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func theDeadlineFailsTheWaitingNumbersAsRetryable(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let clock = fixture.clock, lease = StoreFixtures.remoteLease()
        clock.set(try ChunkContract.instant("2026-12-01T22:30:00+08:00"))
        let deadline = try ChunkContract.instant("2026-12-01T23:00:00+08:00")
        let british = ChunkContract.britishNumbers(2)
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(3) + british, runner: lease,
                                                     window: .regionDefaults, sendBy: deadline)
        #expect(try await store.job(job).sendBy == deadline)
        // The mainland numbers' window opens only after the deadline: they wait for the deadline.
        let night = try await store.claimChunk(for: job, runner: lease, maxNumbers: 1)
        #expect(night.chunk?.numbers == [british[0]] && night.postponed == 3 && night.nextDeferredDue == deadline)
        try await ChunkContract.acceptAll(night, store, runner: lease, at: clock.now())
        clock.set(deadline)
        let late = try await store.claimChunk(for: job, runner: lease)
        #expect(late.chunk == nil && late.expired == 4 && late.released == 3 && late.isDrained)
        _ = try await store.finishJob(job, runner: lease)
        let summary = try await store.summary(of: job)
        #expect(summary.failuresByReason == ["SEND_WINDOW": 4] && summary.failuresByClass == [.retryable: 4])
        #expect(summary.job.sendBy == deadline && summary.count(.accepted) == 1)
        let failed = try await store.numbers(of: job, states: [.failed], afterPosition: -1, limit: 10)
        #expect(failed.allSatisfy { $0.stage == .local && $0.description?.contains("--send-by 2026-12-01T15:00:00Z") == true })
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aJobKeepsItsWindowAndADeadlineBeforeTheStartIsRefused(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let clock = fixture.clock
        var draft = StoreFixtures.draft(StoreFixtures.numbers(1), scheduledAt: clock.now().addingTimeInterval(3600),
                                        sendWindow: .everyNumber(try SendWindow(parsing: "20:00-08:00")))
        draft.sendBy = clock.now().addingTimeInterval(60)
        await #expect(throws: StoreError.self) { try await store.createJob(draft, runner: nil) }
        draft.sendBy = clock.now().addingTimeInterval(7200)
        let job = try await store.createJob(draft, runner: nil)
        #expect(job.sendWindow.description == "20:00-08:00" && job.sendBy == draft.sendBy)
        let again = try await store.job(job.id)
        #expect(again == job)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aNightOfMainlandNumbersIsPostponedInSharesOfAClaim(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let lease = StoreFixtures.remoteLease()
        fixture.clock.set(try ChunkContract.instant("2026-12-01T23:00:00+08:00"))
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(25_000), runner: lease,
                                                     window: .regionDefaults)
        var shares: [Int] = [], elapsed: [Duration] = []
        for _ in 0..<5 {
            let started = ContinuousClock.now
            let claim = try await store.claimChunk(for: job, runner: lease)
            elapsed.append(ContinuousClock.now - started)
            #expect(claim.chunk == nil)
            shares.append(claim.postponed)
            if !claim.hasMoreDue { break }
        }
        print("send windows on \(backend): postponing 25,000 numbers took claims of \(elapsed) (debug build)")
        #expect(shares == [10_000, 10_000, 5_000])
        #expect(try await store.summary(of: job).deferredByReason == ["SEND_WINDOW": 25_000])
        await fixture.close(store)
    }
}
