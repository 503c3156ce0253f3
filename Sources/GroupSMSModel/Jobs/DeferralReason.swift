/// The reason codes a deferred number carries while it waits (its `code`), which `show` and
/// `show --json` (`deferredByReason`) count. A number that leaves the wait loses its code.
public enum DeferralReason {
    /// Outside its send window (SPEC §8); waits for the window, never limited by `--max-defer`.
    public static let sendWindow = SendWindowGate.reasonCode
    /// A per-number frequency limit (FAQ 9.5) is in the way, for at most `--max-defer`.
    public static let frequencyLimit = "FREQUENCY_LIMIT"
    /// The platform asked to slow down (E200015) before taking the number.
    public static let flowControl = "FLOW_CONTROL"
    /// Held by `JobStore.deferNumbers` without a more specific reason.
    public static let held = "HELD"
}
