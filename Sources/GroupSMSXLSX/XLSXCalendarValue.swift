import Foundation

/// A date and time of day as a workbook shows it: from a numeric cell whose number format is a
/// date or time (a day serial), or from a `t="d"` cell (ISO 8601 text). No time zone: a workbook
/// stores wall-clock values.
public struct XLSXCalendarValue: Sendable, Equatable {
    /// Year, month (1-12) and day of the month; for a time-only serial Excel's 1900-01-00.
    public let year: Int, month: Int, day: Int
    /// Time of day; seconds rounded from the serial's fraction.
    public let hour: Int, minute: Int, second: Int

    /// Creates a value from its fields.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second) = (hour, minute, second)
    }

    /// The date written `yyyy/MM/dd`, the form `${DATE}` takes (FAQ 5.1).
    public var dateText: String { Self.digits(year, 4) + "/" + Self.digits(month, 2) + "/" + Self.digits(day, 2) }
    /// The time written `HH:mm`, a form `${TIME}` takes (FAQ 5.1).
    public var timeText: String { Self.digits(hour, 2) + ":" + Self.digits(minute, 2) }

    /// The largest serial Excel shows as a date (9999-12-31).
    static let maximumSerial = 2_958_465.0

    /// The value of a day serial as Excel shows it: 1900 system (serial 1 is 1900-01-01, and
    /// 60 is the 1900-02-29 Excel keeps from Lotus 1-2-3) or 1904 system (serial 0 is
    /// 1904-01-01). The fraction is the time of day, rounded to the second. Nil for a negative
    /// serial or one past 9999-12-31, which Excel shows as `####`, and for text that is not a number.
    public static func serial(_ text: UnsafeBufferPointer<UInt8>, date1904: Bool) -> XLSXCalendarValue? {
        guard let serial = Double(String(decoding: text, as: UTF8.self)), serial.isFinite, serial >= 0,
              serial < maximumSerial + 1 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let (hour, minute, second) = (seconds / 3_600, seconds / 60 % 60, seconds % 60)
        if !date1904 && days < 61 {
            // Before 1900-03-01 Excel counts from 1900-01-00 and has a 29 February 1900.
            if days == 60 { return XLSXCalendarValue(year: 1900, month: 2, day: 29, hour: hour, minute: minute, second: second) }
            let (month, day) = days <= 31 ? (1, days) : (2, days - 31)
            return XLSXCalendarValue(year: 1900, month: month, day: day, hour: hour, minute: minute, second: second)
        }
        // Days from 1970-01-01: the 1900 system's serial 25,569 and the 1904 system's 24,107.
        let (year, month, day) = civilDate(daysSince1970: days - (date1904 ? 24_107 : 25_569))
        guard year <= 9999 else { return nil }
        return XLSXCalendarValue(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The value of a `t="d"` cell: ISO 8601 `yyyy-MM-dd`, optionally followed by `THH:mm[:ss[.fff]]`
    /// and a zone designator (ignored: a workbook stores wall-clock values), or a time alone
    /// `HH:mm[:ss]` (on Excel's 1899-12-31). Nil for anything else.
    public static func iso(_ text: UnsafeBufferPointer<UInt8>) -> XLSXCalendarValue? {
        let string = String(decoding: text, as: UTF8.self)
        let parts = string.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 1, string.contains(":") {
            guard let time = clock(Substring(string)) else { return nil }
            return XLSXCalendarValue(year: 1899, month: 12, day: 31, hour: time.0, minute: time.1, second: time.2)
        }
        let fields = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count == 4, fields[1].count == 2, fields[2].count == 2,
              let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        guard parts.count == 2 else { return XLSXCalendarValue(year: year, month: month, day: day) }
        guard let time = clock(parts[1]) else { return nil }
        return XLSXCalendarValue(year: year, month: month, day: day, hour: time.0, minute: time.1, second: time.2)
    }

    /// `HH:mm[:ss[.fff]]` with an optional `Z` or `±HH:mm` after it.
    private static func clock(_ text: Substring) -> (Int, Int, Int)? {
        let end = text.firstIndex { $0 == "Z" || $0 == "+" || $0 == "-" } ?? text.endIndex
        let fields = text[..<end].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), fields[0].count == 2, fields[1].count == 2,
              let hour = Int(fields[0]), let minute = Int(fields[1]), hour < 24, minute < 60 else { return nil }
        var second = 0
        if fields.count == 3 {
            let whole = fields[2].split(separator: ".", maxSplits: 1)[0]
            guard whole.count == 2, let value = Int(whole), value < 60 else { return nil }
            second = value
        }
        return (hour, minute, second)
    }

    /// Year, month and day of a day count from 1970-01-01 on the proleptic Gregorian calendar
    /// (H. Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970 days: Int) -> (Int, Int, Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
