import Foundation
import GroupSMSModel

/// A refused pacing request.
public enum PacingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A request larger than the rate could never start; chunks must be at most the rate.
    case requestLargerThanRate(count: Int, rate: Int)

    public var description: String {
        switch self {
        case .requestLargerThanRate(let count, let rate):
            "a request of \(count) numbers cannot be paced at \(rate) numbers per second; use chunks of at most \(rate)"
        }
    }
}

/// Paces request starts for one account: at most `rate` numbers in any window [t, t + 1 s).
///
/// Shared by every job a process runs, so several jobs together stay under the account's limit.
/// Callers are served first come, first served (a 500-number chunk is not starved by smaller
/// ones), and each start is recorded at the moment `acquire` returns, so the rule holds on the
/// instants requests really leave, not on planned ones. Between `acquire` returning and the
/// request leaving, the caller should do no I/O (prepare the request body before acquiring).
public actor SendPacer {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let clock: any WallClock
    /// The most numbers that may start in one window.
    public nonisolated let rate: Int
    /// The window's length in seconds.
    public nonisolated let window: TimeInterval
    private var limit: SlidingWindowLimit
    private var waiters: [Waiter] = []
    private var headTaken = false
    private var nextWaiterID: UInt64 = 0

    /// A pacer allowing `rate` numbers per `window` seconds (default and maximum 500 per second).
    public init(rate: Int = JobSettings.maximumRate, window: TimeInterval = 1, clock: any WallClock) {
        self.clock = clock
        self.rate = rate
        self.window = window
        limit = SlidingWindowLimit(rate: rate, window: window)
    }

    /// Waits until a request of `count` numbers may start, records it and returns its start time.
    /// Throws `CancellationError` if the task is cancelled while waiting (nothing is recorded).
    public func acquire(_ count: Int) async throws -> Date {
        guard count >= 1, count <= limit.rate else {
            throw PacingError.requestLargerThanRate(count: count, rate: limit.rate)
        }
        try await waitForTurn()
        defer { passTurn() }
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            let earliest = limit.earliestStart(count: count, notBefore: now)
            if earliest <= now { return limit.record(count: count, at: now) }
            try await clock.sleep(until: earliest)
        }
    }

    private func waitForTurn() async throws {
        guard headTaken || !waiters.isEmpty else {
            headTaken = true
            return
        }
        nextWaiterID += 1
        let id = nextWaiterID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Hands the turn to the next waiter, which keeps `headTaken` set; or frees it.
    private func passTurn() {
        if waiters.isEmpty {
            headTaken = false
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
