import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import Testing

@Suite struct PostgresClaimTests {
    /// Twenty claims of one runner run at once, each in its own transaction on its own
    /// connection: `SKIP LOCKED` gives each other numbers, and together they take all of them.
    @Test func concurrentClaimsNeverShareANumber() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        let store = try await fixture.store()
        let runner = PostgresJobStoreFixture.runner("a")
        let job = try await store.createJob(PostgresJobStoreFixture.draft(2_000), runner: runner)
        let chunks = try await withThrowingTaskGroup(of: [ChunkPlan].self) { group in
            for _ in 0..<10 {
                group.addTask {
                    var mine: [ChunkPlan] = []
                    for _ in 0..<3 {
                        let claim = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 100)
                        if let chunk = claim.chunk { mine.append(chunk) }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [ChunkPlan]()) { $0 += $1 }
        }
        let numbers = chunks.flatMap(\.numbers)
        #expect(numbers.count == 2_000, "30 claims of up to 100 take the 2,000 numbers")
        #expect(Set(numbers).count == numbers.count, "no number is in two chunks")
        #expect(Set(chunks.map(\.sequence)) == Set(1...chunks.count), "chunk sequences are 1...n without gaps")
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.sending) == 2_000 && summary.count(.pending) == 0)
        await store.close()
    }

    /// Two daemons run a job each on one account of 100 numbers a window. At every step both
    /// claim at the same instant; the advisory lock makes them take turns, so the reservations of
    /// both together never exceed the budget in any window, and the budget is used in full.
    @Test func twoRunnersShareOneAccountPace() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        let daemonA = try await fixture.store(leaseDuration: 60), daemonB = try await fixture.store(leaseDuration: 60)
        let a = PostgresJobStoreFixture.runner("a"), b = PostgresJobStoreFixture.runner("b")
        let jobA = try await daemonA.createJob(PostgresJobStoreFixture.draft(1_000, name: "a"), runner: a)
        let jobB = try await daemonB.createJob(PostgresJobStoreFixture.draft(1_000, name: "b"), runner: b)
        let budget = PaceBudget(account: "acct-1", accountRate: 100, jobRate: 500)
        var granted = 0, waits = 0
        for _ in 0..<12 {
            async let claimA = daemonA.claimChunk(for: jobA.id, runner: a, maxNumbers: 100, pace: budget)
            async let claimB = daemonB.claimChunk(for: jobB.id, runner: b, maxNumbers: 100, pace: budget)
            for claim in try await [claimA, claimB] {
                granted += claim.chunk?.numbers.count ?? 0
                if claim.paceWaitUntil != nil { waits += 1 }
            }
            fixture.clock.advance(by: 0.25)
        }
        let reservations = try await daemonA.paceReservations(account: "acct-1")
        let window = Int64(PaceBudget.platformWindow * 1_000_000)
        for (index, reservation) in reservations.enumerated() {
            let inWindow = reservations[...index].filter { $0.startsAtMicroseconds > reservation.startsAtMicroseconds - window }
            #expect(inWindow.reduce(0) { $0 + $1.numbers } <= 100, "window ending at reservation \(index)")
        }
        // Starts at 0 s, 1.25 s and 2.5 s: the first instants past each 1.008 s window.
        #expect(granted == 300 && reservations.count == 3)
        #expect(waits == 21)
        await daemonA.close()
        await daemonB.close()
    }
}
