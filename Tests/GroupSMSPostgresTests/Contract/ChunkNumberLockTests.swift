import Foundation
import GroupSMSModel
@testable import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import PostgresNIO
import Testing

/// PostgreSQL's per-number locks (no SQLite twin: there every write takes turns). A claim waits
/// only for its first set of numbers; once it holds some, a number another transaction has
/// locked is left for the next claim, so two claims never wait for each other in a circle.
@Suite struct ChunkNumberLockTests {
    @Test func aNumberLockedElsewhereAfterTheFirstRoundIsLeftForTheNextClaim() async throws {
        let fixture = try await StoreContractFixture.make(.postgres)
        let store = try await fixture.store(PostgresJobStore.self)
        let earlier = StoreFixtures.remoteLease("earlier"), runner = StoreFixtures.remoteLease()
        let numbers = StoreFixtures.numbers(3), (x, y, z) = (numbers[0], numbers[1], numbers[2])
        // x had a message just now, so the claim's first round (one number) defers it.
        let other = try await store.createJob(StoreFixtures.draft([x], sendWindow: .any), runner: earlier)
        #expect(try await store.claimChunk(for: other.id, runner: earlier).chunk?.numbers == [x])
        let job = try await store.createJob(StoreFixtures.draft(numbers, sendWindow: .any), runner: runner)

        let (locked, lockedSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await store.connection.withTransaction { connection in
                try await connection.query("""
                    SELECT pg_advisory_xact_lock(\(PostgresJobStore.numberLockSpace), hashtext(\(y)))
                    """, logger: store.connection.logger)
                lockedSignal.yield()
                for await _ in release { break }
            }
        }
        for await _ in locked { break }
        let claim = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 1,
                                               limits: ChunkContract.onePerMinute, pace: nil, zones: nil)
        #expect(claim.deferred == 1 && claim.chunk?.numbers == [z], "x waits for its limit, y is left, z goes")
        #expect(claim.hasMoreDue, "the claim says a number is still due now")
        #expect(try await store.numbers(of: job.id, states: [.pending], afterPosition: -1, limit: 10).map(\.e164) == [y])
        releaseSignal.yield()
        try await holder.value
        let next = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 1,
                                              limits: ChunkContract.onePerMinute, pace: nil, zones: nil)
        #expect(next.chunk?.numbers == [y] && !next.hasMoreDue)
        await fixture.close(store)
    }
}
