import Foundation
import GroupSMSModel

/// A value bound to a statement parameter.
enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// An integer, or NULL when absent.
    static func int(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
    /// A 64-bit integer, or NULL when absent.
    static func int64(_ value: Int64?) -> SQLiteValue { value.map { .integer($0) } ?? .null }
    /// Text, or NULL when absent.
    static func string(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    /// A time as whole milliseconds since 1970 (the store's time unit), or NULL when absent.
    static func time(_ value: Date?) -> SQLiteValue { value.map { .integer(StoreTime.milliseconds($0)) } ?? .null }
}

/// The store's single time representation: integer milliseconds since 1970-01-01T00:00:00Z
/// (rounded to the nearest, so a whole-millisecond `Date` survives the round trip).
///
/// Integers compare exactly in SQL (window queries) and are the same in every process.
enum StoreTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// ISO 8601 in UTC with milliseconds only when they are not zero, for messages.
    static func iso(_ date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        ISOTimeText.format(date, timeZone: timeZone)
    }
}
