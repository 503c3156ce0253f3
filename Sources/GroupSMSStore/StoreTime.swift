import Foundation
import GroupSMSModel

/// The store's single time representation: integer milliseconds since 1970-01-01T00:00:00Z
/// (rounded to the nearest, so a whole-millisecond `Date` survives the round trip).
///
/// Integers compare exactly in SQL (window queries) and are the same in every process.
public enum StoreTime {
    /// `date` as whole milliseconds since 1970.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The instant of `milliseconds` since 1970.
    public static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// ISO 8601 in UTC with milliseconds only when they are not zero, for messages.
    public static func iso(_ date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        ISOTimeText.format(date, timeZone: timeZone)
    }
}
