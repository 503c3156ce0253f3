import Foundation

/// The per-number limits of FAQ 9.5, tracked from accepted sends.
///
/// A number over a limit is still accepted by the send answer (status 000000), as on the
/// platform, and its status report carries the limit: MILIMIT (15 per minute), LIMIT
/// (50 per 24 h), SC:0010 (the same content more than 2 times per 59 s or 5 times per 59 min).
struct SimulatorNumberLimits {
    private struct Send {
        let time: Date
        let contentKey: String
    }

    private var history: [String: [Send]] = [:]
    private var checksSinceSweep = 0

    /// Checks one send at `now` and records it when it passes; returns the report status of the
    /// limit it breaks, nil when it may go.
    mutating func admit(_ number: String, contentKey: String, now: Date) -> String? {
        var sends = history[number, default: []]
        sends.removeAll { now.timeIntervalSince($0.time) >= 24 * 3600 }
        let verdict = Self.verdict(sends, contentKey: contentKey, now: now)
        if verdict == nil { sends.append(Send(time: now, contentKey: contentKey)) }
        history[number] = sends.isEmpty ? nil : sends
        checksSinceSweep += 1
        if checksSinceSweep >= 100_000 { sweep(now: now) }
        return verdict
    }

    private static func verdict(_ sends: [Send], contentKey: String, now: Date) -> String? {
        let lastMinute = sends.filter { now.timeIntervalSince($0.time) < 60 }.count
        if lastMinute >= 15 { return "MILIMIT" }
        if sends.count >= 50 { return "LIMIT" }
        let same = sends.filter { $0.contentKey == contentKey }
        if same.filter({ now.timeIntervalSince($0.time) < 59 }).count >= 2 { return "SC:0010" }
        if same.filter({ now.timeIntervalSince($0.time) < 59 * 60 }).count >= 5 { return "SC:0010" }
        return nil
    }

    /// Drops numbers whose sends are all older than 24 h.
    private mutating func sweep(now: Date) {
        checksSinceSweep = 0
        history = history.filter { _, sends in sends.contains { now.timeIntervalSince($0.time) < 24 * 3600 } }
    }
}
