import Foundation
import Synchronization
import Testing
@testable import GroupSMSModel
@testable import GroupSMSJobs
import GroupSMSTestSupport

/// Collects request starts from concurrent tasks.
private final class StartLog: Sendable {
    private let entries = Mutex<[(job: Int, at: Int64, count: Int)]>([])
    func append(job: Int, at: Date, count: Int) {
        entries.withLock { $0.append((job, SlidingWindowLimit.microseconds(at), count)) }
    }
    var all: [(job: Int, at: Int64, count: Int)] { entries.withLock { $0 } }
}

/// A pace budget kept in memory the way the store keeps it: each attempt reserves at the
/// clock's now or says when to try again.
private final class Ledger: Sendable {
    private let limit: Mutex<SlidingWindowLimit>
    private let clock: ManualWallClock

    init(rate: Int = 500, clock: ManualWallClock) {
        limit = Mutex(SlidingWindowLimit(rate: rate, window: 1))
        self.clock = clock
    }

    func attempt(_ count: Int) -> PaceAttempt<Date> {
        limit.withLock { limit in
            let now = clock.now()
            let earliest = limit.earliestStart(count: count, notBefore: now)
            return earliest > now ? .retry(at: earliest) : .started(limit.record(count: count, at: now))
        }
    }
}

extension SendPacer {
    /// `acquire` against an in-memory ledger.
    fileprivate func acquire(_ count: Int, on ledger: Ledger) async throws -> Date {
        try await acquire { ledger.attempt(count) }
    }
}

@Suite struct SendPacerTests {
    /// Lets tasks run, and moves the manual clock in small steps whenever a task sleeps on it,
    /// until `done` says stop; records an issue when `rounds` pass first.
    private func drive(_ clock: ManualWallClock, step: Double = 0.01, rounds: Int = 200_000,
                       sourceLocation: SourceLocation = #_sourceLocation, until done: () -> Bool) async {
        for _ in 0..<rounds where !done() {
            for _ in 0..<8 { await Task.yield() }
            if !done(), clock.sleeperCount > 0 { clock.advance(by: step) }
        }
        #expect(done(), "the pacer's callers were still waiting after \(rounds) rounds", sourceLocation: sourceLocation)
    }

    /// Yields (bounded) until some task sleeps on `clock`; records an issue naming `what` otherwise.
    private func untilSleeping(_ clock: ManualWallClock, _ what: String,
                               sourceLocation: SourceLocation = #_sourceLocation) async {
        for _ in 0..<100_000 where clock.sleeperCount == 0 { await Task.yield() }
        #expect(clock.sleeperCount > 0, "timed out waiting until \(what)", sourceLocation: sourceLocation)
    }

    @Test(arguments: 0..<6)
    func severalJobsSharingOnePacerStayUnderTheRate(seed: Int) async throws {
        let clock = ManualWallClock()
        let pacer = SendPacer(rate: 500, clock: clock)
        let ledger = Ledger(clock: clock)
        let log = StartLog()
        var random = SeededRandom(seed: UInt64(seed) + 11)
        let plans = (0..<3).map { _ in (0..<8).map { _ in Int.random(in: 1...500, using: &random) } }
        await withTaskGroup(of: Void.self) { group in
            for (job, sizes) in plans.enumerated() {
                group.addTask {
                    for size in sizes {
                        let start = try! await pacer.acquire(size, on: ledger)
                        log.append(job: job, at: start, count: size)
                    }
                }
            }
            await drive(clock) { log.all.count == 24 }
            await group.waitForAll()
        }
        let starts = log.all
        #expect(starts.count == 24)
        #expect(busiestWindow(starts.map { ($0.at, $0.count) }) <= 500)
        // No needless waiting: one second after a start, every earlier start has left the window,
        // so the next request never waits much longer than that (the clock moves in 10 ms steps
        // while tasks hand over).
        let times = starts.map(\.at).sorted()
        for (previous, next) in zip(times, times.dropFirst()) {
            #expect(next - previous <= 1_100_000)
        }
    }

    @Test func requestsAreServedInArrivalOrder() async throws {
        let clock = ManualWallClock()
        let pacer = SendPacer(rate: 500, clock: clock)
        let ledger = Ledger(clock: clock)
        let first = try await pacer.acquire(400, on: ledger)
        let log = StartLog()
        let big = Task { log.append(job: 1, at: try await pacer.acquire(500, on: ledger), count: 500) }
        await untilSleeping(clock, "the 500 waits for the window")
        // 100 would fit beside the 400 now, but the 500 asked first.
        let small = Task { log.append(job: 2, at: try await pacer.acquire(100, on: ledger), count: 100) }
        for _ in 0..<50 { await Task.yield() }
        #expect(log.all.isEmpty)
        clock.advance(by: 1)
        await drive(clock) { log.all.count == 2 }
        try await big.value
        try await small.value
        let starts = log.all.sorted { $0.job < $1.job }
        #expect(starts[0].at == SlidingWindowLimit.microseconds(first) + 1_000_000)
        #expect(starts[1].at >= starts[0].at)
        #expect(busiestWindow([(SlidingWindowLimit.microseconds(first), 400)] + starts.map { ($0.at, $0.count) }) <= 500)
    }

    @Test func aCancelledWaiterRecordsNothing() async throws {
        let clock = ManualWallClock()
        let pacer = SendPacer(rate: 500, clock: clock)
        let ledger = Ledger(clock: clock)
        let first = try await pacer.acquire(500, on: ledger)
        let waiting = Task { try await pacer.acquire(500, on: ledger) }
        await untilSleeping(clock, "the second 500 waits for the window")
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        clock.advance(by: 1)
        // The cancelled request took no share: a full chunk may start as soon as the window frees.
        let next = try await pacer.acquire(500, on: ledger)
        #expect(SlidingWindowLimit.microseconds(next) == SlidingWindowLimit.microseconds(first) + 1_000_000)
    }
}
