import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The per-number frequency limits (SPEC §4, FAQ 9.5) against the send history every job and
/// every process on the store shares, and numbers held until a time.
@Suite("Store contract: frequency limits")
struct ChunkFrequencyContractTests {
    let margin = FrequencyLimits.platform.safetyMargin

    @Test(arguments: StoreBackend.allCases)
    func jobsToTheSameNumbersShareTheHistoryAcrossProcesses(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore(), otherProcess = try await fixture.chunkStore()
        let clock = fixture.clock, numbers = StoreFixtures.numbers(10)
        let (first, second, third, fourth) = (StoreFixtures.remoteLease("1"), StoreFixtures.remoteLease("2"),
                                              StoreFixtures.remoteLease("3"), StoreFixtures.remoteLease("4"))
        let jobA = try await ChunkContract.runningJob(store, numbers, runner: first)
        let jobB = try await ChunkContract.runningJob(otherProcess, numbers, runner: second)
        let jobC = try await ChunkContract.runningJob(store, numbers, runner: third)
        let jobD = try await ChunkContract.runningJob(otherProcess, numbers, runner: fourth, maxDefer: 30)
        #expect(try await store.claimChunk(for: jobA, runner: first).chunk?.numbers.count == 10)
        clock.advance(by: 1)
        #expect(try await otherProcess.claimChunk(for: jobB, runner: second).chunk?.numbers.count == 10)
        clock.advance(by: 1)
        // The same content a third time within 59 s: deferred until the first send leaves the window.
        let deferred = try await store.claimChunk(for: jobC, runner: third)
        #expect(deferred.chunk == nil && deferred.deferred == 10 && !deferred.isDrained)
        let due = clock.now().addingTimeInterval(-2 + 59 + margin)
        #expect(deferred.nextDeferredDue == due)
        let waiting = try await store.summary(of: jobC)
        #expect(waiting.deferredByReason == [DeferralReason.frequencyLimit: 10])
        #expect(waiting.nextDeferredByReason[DeferralReason.frequencyLimit] == due)
        let held = try await store.numbers(of: jobC, states: [.deferred], afterPosition: -1, limit: 100)
        #expect(held.allSatisfy { $0.deferredUntil == due && $0.description?.contains("the same content 2 times") == true })
        // With max-defer 30 s the same wait is a local limit with the time it becomes allowed.
        let limited = try await otherProcess.claimChunk(for: jobD, runner: fourth)
        #expect(limited.limited == 10 && limited.isDrained)
        let failures = try await otherProcess.numbers(of: jobD, states: [.failed], afterPosition: -1, limit: 100)
        #expect(Set(failures.map(\.code)) == ["LOCAL_LIMIT"] && Set(failures.map(\.failureClass)) == [.retryable])
        #expect(failures[0].description?.contains(ISOTimeText.utc(due)) == true && failures[0].stage == .local)
        #expect(try await otherProcess.summary(of: jobD).failuresByReason == ["LOCAL_LIMIT": 10])
        // Nothing is sent before the deferral ends; at that moment all ten go.
        clock.set(due.addingTimeInterval(-1))
        #expect(try await store.claimChunk(for: jobC, runner: third).chunk == nil)
        clock.set(due)
        let resent = try await store.claimChunk(for: jobC, runner: third)
        #expect(resent.chunk?.numbers.count == 10 && resent.isDrained)
        #expect(try await store.numbers(of: jobC, states: [.sending], afterPosition: -1, limit: 100)
            .allSatisfy { $0.code == nil && $0.description == nil }, "a number that leaves the wait loses its reason")
        await fixture.close(store)
        await fixture.close(otherProcess)
    }

    /// Two runners in two processes claim chunks of two jobs to the same numbers at the same
    /// instant, under a limit of one send a minute: every number goes once, in one of the two
    /// chunks, and waits in the other job. On SQLite every write takes turns; on PostgreSQL the
    /// per-number advisory locks make the second claim read the first one's sends.
    @Test(arguments: StoreBackend.allCases)
    func twoRunnersClaimingTheSameNumbersAtOnceSendEachOnce(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let daemonA = try await fixture.chunkStore(), daemonB = try await fixture.chunkStore()
        let a = StoreFixtures.remoteLease("a"), b = StoreFixtures.remoteLease("b")
        for block in 0..<12 {
            // Overlapping, not equal: each job also has numbers of its own.
            let shared = StoreFixtures.numbers(40, block: block)
            let onlyA = StoreFixtures.numbers(5, block: 50 + block), onlyB = StoreFixtures.numbers(5, block: 70 + block)
            let jobA = try await ChunkContract.runningJob(daemonA, onlyA + shared, runner: a)
            let jobB = try await ChunkContract.runningJob(daemonB, shared.reversed() + onlyB, runner: b)
            async let claimA = daemonA.claimChunk(for: jobA, runner: a, maxNumbers: 500, limits: ChunkContract.onePerMinute,
                                                  pace: nil, zones: nil)
            async let claimB = daemonB.claimChunk(for: jobB, runner: b, maxNumbers: 500, limits: ChunkContract.onePerMinute,
                                                  pace: nil, zones: nil)
            let (first, second) = try await (claimA, claimB)
            let sent = (first.chunk?.numbers ?? []) + (second.chunk?.numbers ?? [])
            #expect(sent.count == 50 && Set(sent) == Set(onlyA + shared + onlyB),
                    "round \(block): every number once across both jobs, not \(sent.count)")
            #expect(first.deferred + second.deferred == 40, "round \(block): each shared number waits in one job")
        }
        await fixture.close(daemonA)
        await fixture.close(daemonB)
    }

    /// A send counts from its request's start, not from the claim.
    @Test(arguments: StoreBackend.allCases)
    func aSendCountsFromItsRequestStart(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let a = StoreFixtures.remoteLease("a"), b = StoreFixtures.remoteLease("b")
        let numbers = StoreFixtures.numbers(3)
        let jobA = try await ChunkContract.runningJob(store, numbers, runner: a)
        let jobB = try await ChunkContract.runningJob(store, numbers, runner: b)
        let claim = try await store.claimChunk(for: jobA, runner: a)
        fixture.clock.advance(by: 5)
        let started = fixture.clock.now()
        try await ChunkContract.acceptAll(claim, store, runner: a, at: started)
        fixture.clock.advance(by: 1)
        let waiting = try await store.claimChunk(for: jobB, runner: b, maxNumbers: 500, limits: ChunkContract.onePerMinute,
                                                 pace: nil, zones: nil)
        #expect(waiting.chunk == nil && waiting.deferred == 3)
        #expect(waiting.nextDeferredDue == started.addingTimeInterval(60 + margin))
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func deferredNumbersDoNotStallTheRest(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let numbers = StoreFixtures.numbers(30), busy = Array(numbers[3..<8])
        let earlier = StoreFixtures.remoteLease("earlier"), runner = StoreFixtures.remoteLease()
        // Five of them had a message a moment ago (another job's).
        let other = try await ChunkContract.runningJob(store, busy, runner: earlier)
        #expect(try await store.claimChunk(for: other, runner: earlier).chunk?.numbers == busy)
        fixture.clock.advance(by: 10)
        let job = try await ChunkContract.runningJob(store, numbers, runner: runner)
        let claim = try await store.claimChunk(for: job, runner: runner, maxNumbers: 20, limits: ChunkContract.onePerMinute,
                                               pace: nil, zones: nil)
        let chunk = try #require(claim.chunk)
        #expect(claim.deferred == 5)
        #expect(chunk.numbers == Array(numbers[0..<3] + numbers[8..<25]), "the chunk is topped up past the deferred numbers")
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func numbersCanBeHeldUntilATimeAndComeBackWhenDue(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let numbers = StoreFixtures.numbers(6), lease = StoreFixtures.remoteLease()
        let job = try await ChunkContract.runningJob(store, numbers, runner: lease)
        let until = fixture.clock.now().addingTimeInterval(900)
        #expect(try await store.deferNumbers(of: job, runner: lease, numbers: [numbers[0], numbers[1]], until: until,
                                             reason: "platform per-number limit", code: DeferralReason.held) == 2)
        let first = try await store.claimChunk(for: job, runner: lease)
        #expect(first.chunk?.numbers == Array(numbers[2...]))
        #expect(first.nextDeferredDue == until && !first.isDrained)
        let summary = try await store.summary(of: job)
        #expect(summary.deferredByReason == ["HELD": 2] && summary.nextDeferredByReason["HELD"] == until)
        let held = try await store.numbers(of: job, states: [.deferred], afterPosition: -1, limit: 10)
        #expect(held.allSatisfy { $0.description == "platform per-number limit" && $0.deferredUntil == until })
        #expect(try await store.deferNumbers(of: job, runner: lease, numbers: nil, until: until, reason: "held by hand",
                                             code: "FLOW_CONTROL") == 2)
        #expect(try await store.summary(of: job).deferredByReason == ["FLOW_CONTROL": 2])
        fixture.clock.set(until)
        let second = try await store.claimChunk(for: job, runner: lease)
        #expect(second.chunk?.numbers == [numbers[0], numbers[1]] && second.isDrained)
        await fixture.close(store)
    }
}
