import Synchronization

/// Raised once when the simulator shuts down, so stalled requests stop waiting.
final class SimulatorStopSignal: Sendable {
    private let raised = Mutex(false)

    func raise() { raised.withLock { $0 = true } }

    var isRaised: Bool { raised.withLock { $0 } }

    /// Sleeps up to `seconds`, waking early (true) when the signal is raised. Checks every
    /// 20 ms: stalls are a rare fault, and this keeps shutdown prompt without more machinery.
    func sleep(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if isRaised { return true }
            let slice = min(deadline - ContinuousClock.now, .milliseconds(20))
            do { try await Task.sleep(for: slice) } catch { return true }
        }
        return isRaised
    }
}
