/// The `${DATE}` and `${TIME}` value rules (FAQ 5.1), checked by hand on the Gregorian calendar
/// so that they do not depend on a locale, a time zone or a date formatter's leniency.
enum CalendarValues {
    /// `yyyy/MM/dd`; FAQ 5.1 also shows `2017/7/16` and `2017/7/1`, so month and day take one or
    /// two digits. The year has four digits, 0001 to 9999.
    static func dateMisfit(_ value: String) -> ParameterRule? {
        let fields = value.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].utf8.count == 4,
              (1...2).contains(fields[1].utf8.count), (1...2).contains(fields[2].utf8.count),
              let year = asciiNumber(fields[0]), let month = asciiNumber(fields[1]),
              let day = asciiNumber(fields[2]), year >= 1
        else { return .dateFormat }
        guard (1...12).contains(month) else { return .month }
        let days = daysIn(month: month, year: year)
        return (1...days).contains(day) ? nil : .dayOfMonth(days: days, month: month, year: year)
    }

    /// `HH:mm` or `HH:mm:ss`, two digits each, on a 24-hour clock (no leap second).
    static func timeMisfit(_ value: String) -> ParameterRule? {
        let fields = value.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), fields.allSatisfy({ $0.utf8.count == 2 }) else { return .timeFormat }
        let numbers = fields.compactMap(asciiNumber)
        guard numbers.count == fields.count else { return .timeFormat }
        guard numbers[0] <= 23, numbers.dropFirst().allSatisfy({ $0 <= 59 }) else { return .clockTime }
        return nil
    }

    /// The days of `month` in `year` on the Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The value of a field made only of ASCII digits, else nil (so `+1`, ` 1` and `١` fail).
    private static func asciiNumber(_ field: Substring) -> Int? {
        guard !field.isEmpty, field.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(field)
    }
}
