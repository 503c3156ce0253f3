import Foundation

/// A daily window in which non-urgent messages may be sent, in a fixed UTC offset.
///
/// Chinese mainland numbers: 08:00-22:00 UTC+8 (FAQ 12.1 counts sends outside it as violations);
/// the second vendor forbids promotional sends 20:00-08:00. The runner can hold a job's numbers
/// until `nextAllowed(from:)` when a job opts in.
public struct CourtesyHours: Sendable, Hashable {
    /// Minutes after local midnight when the window opens.
    public var opensAtMinute: Int
    /// Minutes after local midnight when it closes (exclusive).
    public var closesAtMinute: Int
    /// The local time's offset from UTC, in seconds.
    public var utcOffsetSeconds: Int

    /// A window from `opensAtHour` to `closesAtHour` (local, 0-24) at `utcOffsetSeconds`.
    public init(opensAtHour: Int, closesAtHour: Int, utcOffsetSeconds: Int) {
        precondition((0...24).contains(opensAtHour) && (0...24).contains(closesAtHour) && opensAtHour < closesAtHour,
                     "courtesy hours must open before they close within one day")
        opensAtMinute = opensAtHour * 60
        closesAtMinute = closesAtHour * 60
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// 08:00-22:00 UTC+8, for Chinese mainland numbers (FAQ 12.1).
    public static let chineseMainland = CourtesyHours(opensAtHour: 8, closesAtHour: 22, utcOffsetSeconds: 8 * 3600)
    /// 08:00-20:00 UTC+8, for promotional messages (the second vendor's rule).
    public static let chineseMainlandPromotional = CourtesyHours(opensAtHour: 8, closesAtHour: 20, utcOffsetSeconds: 8 * 3600)

    /// Whether the Chinese mainland rules apply to an E.164 number.
    public static func appliesToChineseMainland(_ e164: String) -> Bool { e164.hasPrefix("+86") }

    /// Whether `date` falls inside the window.
    public func allows(_ date: Date) -> Bool {
        let minute = minuteOfDay(date)
        return minute >= opensAtMinute && minute < closesAtMinute
    }

    /// `date` if it is inside the window, else the next opening.
    public func nextAllowed(from date: Date) -> Date {
        if allows(date) { return date }
        let local = Int((date.timeIntervalSince1970).rounded(.down)) + utcOffsetSeconds
        let midnight = local - ((local % 86_400) + 86_400) % 86_400
        var opening = midnight + opensAtMinute * 60
        if opening <= local { opening += 86_400 }
        return Date(timeIntervalSince1970: Double(opening - utcOffsetSeconds))
    }

    private func minuteOfDay(_ date: Date) -> Int {
        let local = Int((date.timeIntervalSince1970).rounded(.down)) + utcOffsetSeconds
        return (((local % 86_400) + 86_400) % 86_400) / 60
    }
}
