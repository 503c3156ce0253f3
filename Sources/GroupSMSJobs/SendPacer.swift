import Foundation
import GroupSMSModel

/// The result of one try at starting a paced request.
public enum PaceAttempt<Value: Sendable>: Sendable {
    /// The request got its start (the store recorded the reservation).
    case started(Value)
    /// The account's budget has no room yet; try again at this instant.
    case retry(at: Date)
}

/// Orders request starts within one process: first come, first served, across every job the
/// process runs.
///
/// The pace itself is kept in the store (SPEC §4: the 500/s cap belongs to the account, across
/// processes and restarts): each `attempt` asks the store to reserve a start, and the store says
/// when to try again. The pacer holds the turn while its caller waits, so a 500-number chunk is
/// not starved by smaller ones asking after it.
public actor SendPacer {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let clock: any WallClock
    /// The account's budget: at most `rate` numbers in any window of `window` seconds.
    public nonisolated let rate: Int
    /// The window's length in seconds.
    public nonisolated let window: TimeInterval
    /// How far ahead of each claim its request's start is reserved (see `PaceBudget.lead`).
    public nonisolated let lead: TimeInterval
    private var waiters: [Waiter] = []
    private var headTaken = false
    private var nextWaiterID: UInt64 = 0

    /// A pacer for an account allowing `rate` numbers per `window` seconds (default and maximum
    /// 500 per second).
    public init(rate: Int = JobSettings.maximumRate, window: TimeInterval = 1, lead: TimeInterval = 0,
                clock: any WallClock) {
        self.clock = clock
        self.rate = rate
        self.window = window
        self.lead = lead
    }

    /// Waits for the caller's turn, then runs `attempt` until it starts, sleeping on the clock
    /// between tries. Throws `CancellationError` if the task is cancelled while waiting.
    public func acquire<Value: Sendable>(_ attempt: @Sendable () async throws -> PaceAttempt<Value>) async throws -> Value {
        try await waitForTurn()
        defer { passTurn() }
        while true {
            try Task.checkCancellation()
            switch try await attempt() {
            case .started(let value): return value
            case .retry(let instant): try await clock.sleep(until: instant)
            }
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
