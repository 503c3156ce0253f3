/// The rule a parameter value broke; its description completes
/// `parameter 2 "1234567" does not fit ${NUM_6}: <rule>`.
public enum ParameterRule: Sendable, Hashable, CustomStringConvertible {
    /// Values are never empty (FAQ 5.1: 1 to n characters).
    case notEmpty
    /// Values never hold `{` or `}`: the platform would fail to parse the template (FAQ 5.1).
    case noBraces
    /// `${TXT_n}`: at most n characters (Unicode scalars).
    case maxCharacters(Int)
    /// `${NUM_n}`: only the digits 0-9, no signs, spaces or separators (FAQ 5.1).
    case digitsOnly
    /// `${NUM_n}`: at most n digits.
    case maxDigits(Int)
    /// `${DATE}`: not written `yyyy/MM/dd`.
    case dateFormat
    /// `${DATE}`: month outside 1...12.
    case month
    /// `${DATE}`: day outside the month (`days` is the month's length that year).
    case dayOfMonth(days: Int, month: Int, year: Int)
    /// `${TIME}`: not written `HH:mm` or `HH:mm:ss`.
    case timeFormat
    /// `${TIME}`: hour past 23, or minute or second past 59.
    case clockTime

    /// The rule in words, with an example of a value that fits where that helps.
    public var description: String {
        switch self {
        case .notEmpty: "must not be empty"
        case .noBraces: "must not contain { or }"
        case .maxCharacters(let limit): "at most \(limit) \(limit == 1 ? "character" : "characters")"
        case .digitsOnly: "digits 0-9 only (no spaces, signs or separators)"
        case .maxDigits(let limit): "at most \(limit) \(limit == 1 ? "digit" : "digits")"
        case .dateFormat: "a date written yyyy/MM/dd, e.g. 2026/07/16"
        case .month: "the month must be 1 to 12"
        case .dayOfMonth(let days, let month, let year):
            "no such day: \(Self.monthNames[month - 1]) \(year) has \(days) days"
        case .timeFormat: "a time written HH:mm or HH:mm:ss, e.g. 14:30 or 14:30:30"
        case .clockTime: "hours 00-23, minutes and seconds 00-59"
        }
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
}
