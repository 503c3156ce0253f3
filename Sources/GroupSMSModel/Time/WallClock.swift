import Foundation

/// A source of wall-clock time that can also wait for a moment to come.
///
/// Everything that schedules, paces or checks a frequency window takes one of these, so tests
/// drive time by hand instead of sleeping. Wall time (not a monotonic instant) is used because
/// schedules and send history are stored and shared between processes.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Suspends until `deadline` has come, or throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

extension WallClock {
    /// Suspends for `seconds` of this clock's time.
    public func sleep(seconds: Double) async throws {
        try await sleep(until: now().addingTimeInterval(seconds))
    }
}

/// The real clock: `Date()` and `Task.sleep`.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
        } else {
            try Task.checkCancellation()
        }
    }
}
