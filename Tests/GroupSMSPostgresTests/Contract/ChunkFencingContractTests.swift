import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Fenced chunk writes (SPEC §4, §9): once another process took a job over, its old runner can
/// neither claim nor write, and the numbers it had in flight stay unconfirmed.
@Suite("Store contract: fenced chunk writes")
struct ChunkFencingContractTests {
    /// Each store's take-over rule: PostgreSQL's lease expires 15 s after its last renewal;
    /// SQLite's runner on another host is gone once its heartbeat is older than 2 minutes.
    @Test(arguments: StoreBackend.allCases)
    func aStaleRunnerCannotWriteAfterAnotherProcessTookOver(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let first = try await fixture.chunkStore(), second = try await fixture.chunkStore()
        let stale = StoreFixtures.remoteLease("stale"), successor = StoreFixtures.remoteLease("successor")
        let job = try await ChunkContract.runningJob(first, StoreFixtures.numbers(50), runner: stale)
        let chunk = try #require(try await first.claimChunk(for: job, runner: stale, maxNumbers: 20).chunk)
        await #expect(throws: StoreError.self) { try await second.resumeJob(job, runner: successor) }
        fixture.clock.advance(by: 16)
        if backend == .sqlite {
            #expect(try await second.abandonedJobs().isEmpty, "a heartbeat 16 s old is alive on SQLite")
            await #expect(throws: StoreError.self) { try await second.resumeJob(job, runner: successor) }
            fixture.clock.advance(by: 105)
        }
        #expect(try await second.abandonedJobs().map(\.id) == [job])
        let report = try await second.resumeJob(job, runner: successor)
        #expect(report.recoveredChunks == 1 && report.recoveredNumbers == 20)

        let lost = StoreError.leaseLost(job: job.description)
        await #expect(throws: lost) {
            try await first.recordChunkAnswer(chunk.id, runner: stale,
                                              answer: StoreFixtures.acceptAll(chunk, at: fixture.clock.now()))
        }
        await #expect(throws: lost) { try await first.claimChunk(for: job, runner: stale) }
        await #expect(throws: lost) {
            try await first.markChunkUnconfirmed(chunk.id, runner: stale, reason: "late", requestStartedAt: nil)
        }
        await #expect(throws: lost) { try await first.markChunkNotSent(chunk.id, runner: stale, reason: "late") }
        await #expect(throws: lost) {
            try await first.deferNumbers(of: job, runner: stale, numbers: nil, until: fixture.clock.now().addingTimeInterval(60),
                                         reason: "late", code: DeferralReason.held)
        }
        let summary = try await second.summary(of: job)
        #expect(summary.count(.unconfirmed) == 20 && summary.count(.sending) == 0 && summary.count(.pending) == 30)
        #expect(summary.count(.accepted) == 0 && summary.count(.deferred) == 0, "nothing the stale runner tried changed a number")
        let next = try #require(try await second.claimChunk(for: job, runner: successor).chunk)
        #expect(next.numbers.count == 30 && Set(next.numbers).isDisjoint(with: chunk.numbers))
        await fixture.close(first)
        await fixture.close(second)
    }

    /// A runner that is not the job's never claims, even before any take-over.
    @Test(arguments: StoreBackend.allCases)
    func aRunnerThatDoesNotHoldTheJobCannotClaimOrHoldItsNumbers(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let owner = StoreFixtures.remoteLease("owner"), other = StoreFixtures.remoteLease("other")
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(4), runner: owner)
        await #expect(throws: StoreError.leaseLost(job: job.description)) {
            try await store.claimChunk(for: job, runner: other)
        }
        await #expect(throws: StoreError.self) {
            try await store.deferNumbers(of: job, runner: other, numbers: nil, until: fixture.clock.now(), reason: "x",
                                         code: DeferralReason.held)
        }
        #expect(try await store.summary(of: job).count(.pending) == 4)
        await fixture.close(store)
    }
}
