import Foundation

/// The pacing rule as a value: over any window [t, t + window) of request start times, at most
/// `rate` numbers.
///
/// A token bucket with a burst of `rate` lets up to twice the rate through a window straddling
/// a refill, so this keeps the recent start times themselves and answers exactly. Times are kept
/// as integer microseconds so the check and the property tests agree to the last digit.
public struct SlidingWindowLimit: Sendable {
    /// Most numbers allowed to start within any one window.
    public let rate: Int
    /// The window length in microseconds (1 s for the platform's limit).
    public let windowMicroseconds: Int64

    private var starts: [(at: Int64, count: Int)] = []
    private var head = 0
    private var countInList = 0

    /// A limit of `rate` numbers per `window` seconds.
    public init(rate: Int, window: TimeInterval = 1) {
        precondition(rate > 0, "rate must be positive")
        precondition(window > 0, "window must be positive")
        self.rate = rate
        windowMicroseconds = Int64((window * 1_000_000).rounded())
    }

    /// A limit that already holds `starts` (microsecond instant, numbers), as read back from a
    /// store shared with other processes. Unlike `record`, it accepts starts that together break
    /// the limit (written by a process paced differently), so reading can never trap.
    public init(rate: Int, window: TimeInterval, starts: [(at: Int64, count: Int)]) {
        self.init(rate: rate, window: window)
        self.starts = starts.sorted { $0.at < $1.at }
        countInList = self.starts.reduce(0) { $0 + $1.count }
    }

    /// The integer microsecond a date falls on, as the limit counts it.
    public static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The date of an integer microsecond.
    public static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// The earliest instant at or after `notBefore` at which a request of `count` numbers may
    /// start, given the starts recorded so far. `count` must be between 1 and `rate`.
    public func earliestStart(count: Int, notBefore: Date) -> Date {
        let asked = Self.microseconds(notBefore)
        let earliest = earliestStart(count: count, notBefore: asked)
        // Not pushed back: the instant asked about itself. Its microsecond turned back into a
        // date can lie just after it, and a caller asking "may I start now?" would hear "wait".
        return earliest == asked ? notBefore : Self.date(microseconds: earliest)
    }

    /// Records that a request of `count` numbers starts at `at` (clamped to the last recorded
    /// start if the clock stepped back) and returns the start as recorded. Callers check
    /// `earliestStart` first; recording past the limit is a programming error.
    @discardableResult
    public mutating func record(count: Int, at date: Date) -> Date {
        var at = Self.microseconds(date)
        if head < starts.count { at = max(at, starts[starts.count - 1].at) }
        precondition(earliestStart(count: count, notBefore: at) <= at, "recorded a start that breaks the pacing limit")
        prune(before: at)
        starts.append((at, count))
        countInList += count
        return Self.date(microseconds: at)
    }

    private func earliestStart(count: Int, notBefore now: Int64) -> Int64 {
        precondition(count >= 1 && count <= rate, "a request of \(count) numbers can never fit a rate of \(rate)")
        // Only starts later than now - window can share a window with a start at or after now.
        var index = head
        var inWindow = countInList
        while index < starts.count, starts[index].at <= now - windowMicroseconds {
            inWindow -= starts[index].count
            index += 1
        }
        if inWindow + count <= rate { return now }
        // Let the oldest starts age out one by one until the new request fits.
        while index < starts.count {
            inWindow -= starts[index].count
            let freedAt = starts[index].at + windowMicroseconds
            index += 1
            if inWindow + count <= rate { return max(now, freedAt) }
        }
        return now
    }

    private mutating func prune(before now: Int64) {
        while head < starts.count, starts[head].at <= now - windowMicroseconds {
            countInList -= starts[head].count
            head += 1
        }
        if head > 1024, head * 2 > starts.count {
            starts.removeFirst(head)
            head = 0
        }
    }
}
