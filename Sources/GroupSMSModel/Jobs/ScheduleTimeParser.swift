import Foundation

/// Reads the times and durations users type: `--at`, `reschedule --at`, a job file's `at`,
/// and `--max-defer`.
///
/// Absolute times are ISO 8601 with a required offset (`2026-12-01T09:00:00+08:00`, `...Z`,
/// optional fractional seconds); a time without an offset is refused because the daemon and the
/// user may be in different zones. Relative times are `+N` with `s`, `m` or `h`, from `now`.
public struct ScheduleTimeParser: Sendable {
    /// The clock relative times count from.
    public let clock: any WallClock

    /// A parser whose relative times count from `clock.now()`.
    public init(clock: any WallClock) { self.clock = clock }

    /// The instant `text` names.
    public func parse(_ text: String) throws(ScheduleError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .unreadableTime(text: text, problem: "it is empty") }
        if trimmed.hasPrefix("+") {
            do {
                let seconds = try Self.parseDuration(String(trimmed.dropFirst()))
                return clock.now().addingTimeInterval(seconds)
            } catch {
                throw .unreadableTime(text: text, problem: Self.problem(of: error))
            }
        }
        return try ISO8601Reader.parse(trimmed, original: text)
    }

    /// Seconds in a duration such as `90s`, `10m`, `2h` (a bare number is refused: no unit guessing).
    public static func parseDuration(_ text: String) throws(ScheduleError) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let multiplier = ["s": 1.0, "m": 60.0, "h": 3600.0][String(unit)] else {
            throw .unreadableDuration(text: text, problem: "it must end in s, m or h")
        }
        let digits = trimmed.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .unreadableDuration(text: text, problem: "'\(digits)' is not a whole number")
        }
        guard digits.count <= 7, let value = Double(digits) else {
            throw .unreadableDuration(text: text, problem: "it is too large")
        }
        return value * multiplier
    }

    private static func problem(of error: ScheduleError) -> String {
        if case .unreadableDuration(_, let problem) = error { return problem }
        return error.description
    }
}

/// A strict reader for `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM|±HHMM)`.
private enum ISO8601Reader {
    static func parse(_ text: String, original: String) throws(ScheduleError) -> Date {
        let chars = Array(text.utf8)
        func fail(_ problem: String) -> ScheduleError { .unreadableTime(text: original, problem: problem) }
        func number(_ range: Range<Int>, _ what: String) throws(ScheduleError) -> Int {
            guard range.upperBound <= chars.count, range.allSatisfy({ chars[$0] >= 48 && chars[$0] <= 57 }) else {
                throw fail("the \(what) must be \(range.count) digits")
            }
            return range.reduce(0) { $0 * 10 + Int(chars[$1] - 48) }
        }
        func expect(_ index: Int, _ char: UInt8, _ what: String) throws(ScheduleError) {
            guard index < chars.count, chars[index] == char else { throw fail(what) }
        }
        let year = try number(0..<4, "year")
        try expect(4, UInt8(ascii: "-"), "expected '-' after the year")
        let month = try number(5..<7, "month")
        try expect(7, UInt8(ascii: "-"), "expected '-' after the month")
        let day = try number(8..<10, "day")
        guard chars.count > 10, chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t") else {
            throw fail("expected 'T' between the date and the time")
        }
        let hour = try number(11..<13, "hour")
        try expect(13, UInt8(ascii: ":"), "expected ':' after the hour")
        let minute = try number(14..<16, "minute")
        try expect(16, UInt8(ascii: ":"), "expected seconds (HH:MM:SS)")
        let second = try number(17..<19, "second")
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            var scale = 0.1
            index += 1
            let start = index
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                fraction += Double(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == start { throw fail("expected digits after '.'") }
        }
        guard month >= 1, month <= 12 else { throw fail("month \(month) does not exist") }
        guard day >= 1, day <= daysIn(month: month, year: year) else {
            throw fail("day \(day) does not exist in \(String(format: "%04d-%02d", year, month))")
        }
        guard hour <= 23, minute <= 59, second <= 59 else { throw fail("the time of day is out of range") }
        guard index < chars.count else {
            throw fail("it has no UTC offset; add one such as +08:00 or Z")
        }
        let offsetSeconds: Int
        switch chars[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == chars.count else { throw fail("unexpected text after 'Z'") }
            offsetSeconds = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = chars[index] == UInt8(ascii: "+") ? 1 : -1
            let offsetHour = try number(index + 1..<index + 3, "offset hour")
            var minuteStart = index + 3
            if minuteStart < chars.count, chars[minuteStart] == UInt8(ascii: ":") { minuteStart += 1 }
            let offsetMinute = try number(minuteStart..<minuteStart + 2, "offset minute")
            guard minuteStart + 2 == chars.count else { throw fail("unexpected text after the offset") }
            guard offsetHour <= 14, offsetMinute <= 59 else { throw fail("the UTC offset is out of range") }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        default:
            throw fail("expected an offset (Z or ±HH:MM) after the time")
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Formats times the way `--at` reads them: `2026-12-01T09:00:00+08:00` (or `...Z` in UTC), with
/// milliseconds only when there are some.
/// ISO 8601 text for messages and exports: milliseconds only when they are not zero.
package enum ISOTimeText {
    /// `date` in UTC.
    package static func utc(_ date: Date) -> String {
        format(date, timeZone: TimeZone(identifier: "UTC")!)
    }

    /// `date` in `timeZone`.
    package static func format(_ date: Date, timeZone: TimeZone) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let fractional = milliseconds.truncatingRemainder(dividingBy: 1000) != 0
        return Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .standard, timeSeparator: .colon,
                                       timeZoneSeparator: .colon, includingFractionalSeconds: fractional,
                                       timeZone: timeZone).format(date)
    }
}
