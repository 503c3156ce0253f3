import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The account's pace kept in the store (SPEC §4): a claim reserves its request's start in the
/// same transaction, across every job and process on the store.
@Suite("Store contract: account pace")
struct ChunkPaceContractTests {
    /// Two jobs in two processes on one account of 100 numbers a window: the second waits for
    /// the first's window to pass, claims nothing meanwhile, and then goes.
    @Test(arguments: StoreBackend.allCases)
    func aFullAccountBudgetMakesEveryJobWait(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let daemonA = try await fixture.chunkStore(), daemonB = try await fixture.chunkStore()
        let a = StoreFixtures.remoteLease("a"), b = StoreFixtures.remoteLease("b"), clock = fixture.clock
        let jobA = try await ChunkContract.runningJob(daemonA, StoreFixtures.numbers(300), runner: a)
        let jobB = try await ChunkContract.runningJob(daemonB, StoreFixtures.numbers(300, block: 1), runner: b)
        let budget = PaceBudget(account: "acct-contract", accountRate: 100)
        let first = try await daemonA.claimChunk(for: jobA, runner: a, maxNumbers: 100, pace: budget)
        let chunk = try #require(first.chunk)
        #expect(chunk.numbers.count == 100 && chunk.startsAt == clock.now() && first.paceWaitUntil == nil)
        clock.advance(by: 0.5)
        let waiting = try await daemonB.claimChunk(for: jobB, runner: b, maxNumbers: 100, pace: budget)
        let resume = clock.now().addingTimeInterval(-0.5 + PaceBudget.platformWindow)
        let wait = try #require(waiting.paceWaitUntil)
        #expect(waiting.chunk == nil && ChunkContract.isClose(wait, resume), "waits until \(wait), not \(resume)")
        #expect(try await daemonB.summary(of: jobB).count(.pending) == 300, "a claim that waits takes nothing")
        clock.set(wait)
        let second = try await daemonB.claimChunk(for: jobB, runner: b, maxNumbers: 100, pace: budget)
        #expect(second.chunk?.numbers.count == 100 && second.chunk?.startsAt == wait)
        await fixture.close(daemonA)
        await fixture.close(daemonB)
    }

    /// A request that left later than its reserved start counts where it left: the next claim
    /// waits for the window after the real start.
    @Test(arguments: StoreBackend.allCases)
    func aLateRequestStartMovesItsReservation(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease(), clock = fixture.clock
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(200), runner: runner)
        let budget = PaceBudget(account: "acct-late", accountRate: 100)
        let chunk = try #require(try await store.claimChunk(for: job, runner: runner, maxNumbers: 100, pace: budget).chunk)
        let reserved = try #require(chunk.startsAt)
        let left = reserved.addingTimeInterval(0.3)
        try await store.notePaceStart(of: chunk.id, at: left)
        // An earlier instant never moves it back.
        try await store.notePaceStart(of: chunk.id, at: reserved)
        clock.advance(by: 0.1)
        let waiting = try await store.claimChunk(for: job, runner: runner, maxNumbers: 100, pace: budget)
        let wait = try #require(waiting.paceWaitUntil)
        #expect(waiting.chunk == nil && ChunkContract.isClose(wait, left.addingTimeInterval(PaceBudget.platformWindow)))
        await fixture.close(store)
    }
}

/// What a job is created with and reads back: its estimate in the summary.
@Suite("Store contract: chunk job settings")
struct ChunkJobSettingsContractTests {
    @Test(arguments: StoreBackend.allCases)
    func theEstimateIsStoredWithTheJobAndInItsSummary(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        var builder = EstimateBuilder(content: .fixed(content: "Hi"), signature: nil, prices: nil)
        builder.add(regionCode: "GB", numbers: 2)
        var draft = StoreFixtures.draft(StoreFixtures.numbers(2))
        draft.estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        let job = try await store.createJob(draft, runner: nil)
        #expect(try await store.summary(of: job.id).estimate == draft.estimate)
        let plain = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(1, block: 1)), runner: nil)
        #expect(try await store.summary(of: plain.id).estimate == nil)
        await fixture.close(store)
    }
}
