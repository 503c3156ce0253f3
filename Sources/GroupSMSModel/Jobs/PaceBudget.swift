import Foundation

/// The pace a claim must respect: the account's budget, and the job's own rate when it is lower.
///
/// The store keeps every reserved request start (SPEC §4), so the budget holds across every job
/// and process on the store, including a process restarted while its predecessor's last
/// requests are still inside the window.
public struct PaceBudget: Sendable, Hashable {
    /// The window real sends are paced with: 1 s plus an 8 ms guard, so the rule also holds on
    /// the instants requests reach the platform despite the jitter between a reservation and
    /// the request leaving (commit, scheduling, network), at a 0.8 % cost in throughput.
    public static let platformWindow: TimeInterval = 1.008

    /// Who the budget belongs to: a digest of endpoint and app key, never the key itself.
    public var account: String
    /// Most numbers the account may start in one window.
    public var accountRate: Int
    /// Most numbers this job may start in one window (its `rate` setting).
    public var jobRate: Int
    /// The window's length in seconds.
    public var window: TimeInterval
    /// How far ahead of the claim a start is reserved: the claim's commit and hand-over happen
    /// inside it, and the request leaves at the reserved instant, so the pace loses nothing to them.
    public var lead: TimeInterval

    /// A budget for `account` at `accountRate`, with the job held to `jobRate`.
    public init(account: String, accountRate: Int = JobSettings.maximumRate, jobRate: Int = JobSettings.maximumRate,
                window: TimeInterval = PaceBudget.platformWindow, lead: TimeInterval = 0) {
        self.account = account
        self.accountRate = accountRate
        self.jobRate = jobRate
        self.window = window
        self.lead = lead
    }

    /// The earliest instant at or after `now` at which `count` numbers may start, given the
    /// account's and the job's recorded starts (microseconds, numbers) of the last window.
    public func earliestStart(count: Int, now: Date, accountStarts: [(at: Int64, count: Int)],
                              jobStarts: [(at: Int64, count: Int)]) -> Date {
        let account = SlidingWindowLimit(rate: accountRate, window: window, starts: accountStarts)
        let job = SlidingWindowLimit(rate: jobRate, window: window, starts: jobStarts)
        var instant = now
        // Each limit can only push the start later; two rounds settle both.
        for _ in 0..<2 {
            instant = max(account.earliestStart(count: min(count, accountRate), notBefore: instant),
                          job.earliestStart(count: min(count, jobRate), notBefore: instant))
        }
        return instant
    }
}
