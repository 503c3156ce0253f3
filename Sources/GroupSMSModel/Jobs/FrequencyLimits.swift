import Foundation

/// One past send of a number, as the frequency limits see it.
public struct SendRecord: Sendable, Hashable {
    /// Identifies the content (see `ContentKey`).
    public var contentKey: String
    /// When the request carrying it started.
    public var sentAt: Date

    /// A send of content `contentKey` at `sentAt`.
    public init(contentKey: String, sentAt: Date) {
        self.contentKey = contentKey
        self.sentAt = sentAt
    }
}

/// One per-number limit: at most `limit` sends within any `window` seconds, of any content or
/// of the same content only.
public struct FrequencyRule: Sendable, Hashable {
    /// A short name for messages, e.g. "15 per minute".
    public var name: String
    /// Most sends allowed within the window.
    public var limit: Int
    /// The window length in seconds.
    public var window: TimeInterval
    /// Whether only sends of the same content count.
    public var sameContentOnly: Bool

    /// A rule allowing `limit` sends per `window` seconds.
    public init(name: String, limit: Int, window: TimeInterval, sameContentOnly: Bool) {
        precondition(limit > 0 && window > 0, "a frequency rule needs a positive limit and window")
        self.name = name
        self.limit = limit
        self.window = window
        self.sameContentOnly = sameContentOnly
    }
}

/// What to do with one number now.
public enum FrequencyDecision: Sendable, Hashable {
    /// No limit is in the way.
    case sendNow
    /// A limit is in the way for at most max-defer: keep it in the job and try at `until`.
    case deferUntil(Date, rule: String)
    /// The wait is longer than max-defer: fail it with LOCAL_LIMIT; it becomes allowed at `allowedAt`.
    case localLimit(allowedAt: Date, rule: String)
}

/// The per-number frequency limits of FAQ 9.5, checked against the runner's own send history.
///
/// Each window also gets `safetyMargin` seconds, because a send is recorded when its chunk is
/// committed, shortly before the platform receives it.
public struct FrequencyLimits: Sendable, Hashable {
    /// The rules; a number may be sent when every rule allows it.
    public var rules: [FrequencyRule]
    /// Seconds added to every window.
    public var safetyMargin: TimeInterval

    /// The platform's limits (FAQ 9.5): any content 15 per minute and 50 per 24 h; the same
    /// content 2 per 59 s and 5 per 59 min.
    public static let platform = FrequencyLimits(rules: [
        FrequencyRule(name: "15 messages per minute", limit: 15, window: 60, sameContentOnly: false),
        FrequencyRule(name: "50 messages per 24 hours", limit: 50, window: 86_400, sameContentOnly: false),
        FrequencyRule(name: "the same content 2 times per 59 seconds", limit: 2, window: 59, sameContentOnly: true),
        FrequencyRule(name: "the same content 5 times per 59 minutes", limit: 5, window: 3_540, sameContentOnly: true),
    ], safetyMargin: 2)

    /// Limits with the given rules and margin.
    public init(rules: [FrequencyRule], safetyMargin: TimeInterval = 2) {
        self.rules = rules
        self.safetyMargin = safetyMargin
    }

    /// How far back history matters: the longest window plus the margin.
    public var lookback: TimeInterval { (rules.map(\.window).max() ?? 0) + safetyMargin }

    /// The earliest instant at or after `now` when one more send of `contentKey` breaks no rule,
    /// and the rule that sets it (nil when that is `now`).
    public func earliestAllowed(history: [SendRecord], contentKey: String, now: Date) -> (Date, rule: String?) {
        var earliest = now
        var blocking: String?
        var times: [Date] = []
        for rule in rules {
            let window = rule.window + safetyMargin
            times.removeAll(keepingCapacity: true)
            for record in history where record.sentAt > now.addingTimeInterval(-window)
                && (!rule.sameContentOnly || record.contentKey == contentKey) {
                times.append(record.sentAt)
            }
            guard times.count >= rule.limit else { continue }
            // The send `limit` places back from the newest must leave the window first.
            times.sort(by: >)
            let allowed = times[rule.limit - 1].addingTimeInterval(window)
            if allowed > earliest {
                earliest = allowed
                blocking = rule.name
            }
        }
        return (earliest, blocking)
    }

    /// Send now, defer within `maxDefer` seconds, or fail with LOCAL_LIMIT.
    public func decide(history: [SendRecord], contentKey: String, now: Date, maxDefer: TimeInterval) -> FrequencyDecision {
        let (allowed, rule) = earliestAllowed(history: history, contentKey: contentKey, now: now)
        guard let rule, allowed > now else { return .sendNow }
        if allowed.timeIntervalSince(now) <= maxDefer { return .deferUntil(allowed, rule: rule) }
        return .localLimit(allowedAt: allowed, rule: rule)
    }
}

/// Identifies "the same content" for the frequency limits: templateId + templateParas + signature.
public enum ContentKey {
    /// A stable 16-hex-digit key (FNV-1a 64) of the three parts, unambiguous in how they join.
    public static func make(templateID: String, params: [String], signature: String?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            // A length suffix keeps ("ab","c") and ("a","bc") apart.
            for byte in String(text.utf8.count).utf8 + [0x1F] {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        mix(templateID)
        mix(String(params.count))
        params.forEach(mix)
        mix(signature ?? "\u{0}none")
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
