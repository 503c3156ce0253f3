import Foundation
import GroupSMSModel
import Synchronization

/// A `WallClock` that only moves when a test calls `advance(by:)` or `set(_:)`.
///
/// Sleepers whose deadline has been reached are resumed in deadline order, so a test can step
/// a scheduler or a pacer through time without any real waiting. A sleep honours cancellation
/// like `Task.sleep`: a cancelled task never stays parked, whenever the cancel comes.
public final class ManualWallClock: WallClock, Sendable {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        /// How long the sleep asked for when it began (deadline minus the time of the call).
        let requested: TimeInterval
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
    }

    private let state: Mutex<State>

    /// Starts the clock at `start` (default 2026-12-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_796_083_200)) {
        state = Mutex(State(now: start))
    }

    /// The clock's current time.
    public func now() -> Date { state.withLock { $0.now } }

    /// The number of tasks currently sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The number of sleeping tasks whose sleep asked for at most `seconds` when it began.
    ///
    /// Lets a test tell work waiting on time (a pace window, a poll interval, a back-off nap)
    /// from background timers with a longer period (a runner's heartbeat).
    public func sleeperCount(requestedAtMost seconds: TimeInterval) -> Int {
        state.withLock { $0.sleepers.count { $0.requested <= seconds } }
    }

    /// How many times `sleep(until:)` has been called, cancelled and past-deadline calls included.
    public var sleepCalls: Int { state.withLock { Int($0.nextID) } }

    /// Suspends until the clock reaches `deadline`, or throws `CancellationError` when the task is
    /// cancelled, also when it already was before the call (as `Task.sleep` does).
    public func sleep(until deadline: Date) async throws {
        let (id, requested) = state.withLock { s -> (UInt64, TimeInterval) in
            s.nextID += 1
            return (s.nextID, deadline.timeIntervalSince(s.now))
        }
        try Task.checkCancellation()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                park(Sleeper(id: id, deadline: deadline, requested: requested, continuation: continuation))
            }
        } onCancel: {
            let cancelled = state.withLock { s -> Sleeper? in
                guard let index = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Parks `sleeper`, or resumes it at once when its deadline has passed or its task is cancelled.
    ///
    /// The cancellation check happens under the same lock as `onCancel`'s removal: a task
    /// cancelled before the append (whose `onCancel` ran early and found nothing) is seen here,
    /// and one cancelled after finds its sleeper parked. Either way it never sleeps forever.
    private func park(_ sleeper: Sleeper) {
        enum Verdict { case parked, due, cancelled }
        let verdict = state.withLock { s -> Verdict in
            if Task.isCancelled { return .cancelled }
            if sleeper.deadline <= s.now { return .due }
            s.sleepers.append(sleeper)
            return .parked
        }
        switch verdict {
        case .parked: break
        case .due: sleeper.continuation.resume()
        case .cancelled: sleeper.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by seconds: Double) {
        set(now().addingTimeInterval(seconds))
    }

    /// Sets the time (never backwards) and wakes every sleeper whose deadline has come.
    public func set(_ date: Date) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = max(s.now, date)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
