import Foundation
import Synchronization
import Testing
import GroupSMSTestSupport

/// Counts tasks that left `sleep`, and how (for the cancellation race test).
private final class SleepEnds: Sendable {
    private let counts = Mutex((cancelled: 0, woken: 0))
    func record(cancelled: Bool) { counts.withLock { cancelled ? ($0.cancelled += 1) : ($0.woken += 1) } }
    var cancelled: Int { counts.withLock { $0.cancelled } }
    var total: Int { counts.withLock { $0.cancelled + $0.woken } }
}

/// The order in which sleepers woke.
private final class WakeOrder: Sendable {
    private let seconds = Mutex<[Int]>([])
    func append(_ value: Int) { seconds.withLock { $0.append(value) } }
    var all: [Int] { seconds.withLock { $0 } }
}

@Suite("Manual wall clock")
struct ManualWallClockTests {
    /// A task that sleeps an hour on `clock` and records how it left the sleep.
    private func sleeper(_ clock: ManualWallClock, _ ends: SleepEnds, cancelFirst: Bool = false) -> Task<Void, Never> {
        Task {
            if cancelFirst { withUnsafeCurrentTask { $0?.cancel() } }
            do {
                try await clock.sleep(seconds: 3600)
                ends.record(cancelled: false)
            } catch {
                ends.record(cancelled: true)
            }
        }
    }

    /// Yields (bounded) until `count` sleepers have left their sleep; a sleeper the cancel
    /// missed would otherwise sleep for an hour of a clock nobody moves.
    private func awaitEnds(_ ends: SleepEnds, count: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
        for _ in 0..<200_000 where ends.total < count { await Task.yield() }
        #expect(ends.total == count, "\(count - ends.total) cancelled sleepers stayed parked", sourceLocation: sourceLocation)
    }

    @Test("a task that is already cancelled when it calls sleep throws at once and parks nothing")
    func alreadyCancelledSleeperThrows() async {
        let clock = ManualWallClock()
        let ends = SleepEnds()
        _ = sleeper(clock, ends, cancelFirst: true)
        await awaitEnds(ends, count: 1)
        #expect(ends.cancelled == 1 && clock.sleeperCount == 0)
    }

    @Test("cancelling a parked sleeper resumes it with CancellationError and removes it")
    func cancelledWhileParked() async {
        let clock = ManualWallClock()
        let ends = SleepEnds()
        let task = sleeper(clock, ends)
        for _ in 0..<10_000 where clock.sleeperCount == 0 { await Task.yield() }
        #expect(clock.sleeperCount == 1, "the sleeper never parked")
        task.cancel()
        await awaitEnds(ends, count: 1)
        #expect(ends.cancelled == 1 && clock.sleeperCount == 0)
    }

    @Test("cancels racing the park never leave a sleeper behind")
    func cancelRacingParkNeverHangs() async {
        let clock = ManualWallClock()
        let ends = SleepEnds()
        let count = 300
        // Some are cancelled before they start, some while they park, some once parked.
        var later: [Task<Void, Never>] = []
        for index in 0..<count {
            let task = sleeper(clock, ends)
            if index % 2 == 0 { task.cancel() } else { later.append(task) }
            if index % 5 == 0 { await Task.yield() }
        }
        later.forEach { $0.cancel() }
        await awaitEnds(ends, count: count)
        #expect(ends.cancelled == count && clock.sleeperCount == 0)
    }

    @Test("a sleep past its deadline returns at once; advancing wakes each sleeper at its deadline")
    func deadlinesWakeInOrder() async throws {
        let clock = ManualWallClock()
        try await clock.sleep(until: clock.now().addingTimeInterval(-1))
        let order = WakeOrder()
        let tasks = [3, 1, 2].map { seconds in
            Task {
                try await clock.sleep(seconds: Double(seconds))
                order.append(seconds)
            }
        }
        for _ in 0..<10_000 where clock.sleeperCount < 3 { await Task.yield() }
        #expect(clock.sleeperCount == 3, "the sleepers never parked")
        #expect(clock.sleeperCount(requestedAtMost: 2) == 2)
        for step in 1...3 {
            clock.advance(by: 1)
            for _ in 0..<10_000 where order.all.count < step { await Task.yield() }
        }
        #expect(order.all == [1, 2, 3])
        tasks.forEach { $0.cancel() }
        #expect(clock.sleepCalls == 4)
    }
}
