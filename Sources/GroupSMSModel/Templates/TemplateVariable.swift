/// The variable forms the platform accepts in a template (FAQ 5.1 "Variable Specifications").
public enum TemplateVariableKind: Sendable, Hashable {
    /// `${TXT_n}`: 1 to n characters of text.
    case text(maxLength: Int)
    /// `${NUM_n}`: 1 to n digits 0-9.
    case number(maxDigits: Int)
    /// `${DATE}`: a calendar date written `yyyy/MM/dd` (month and day may have one digit).
    case date
    /// `${TIME}`: a clock time written `HH:mm` or `HH:mm:ss`.
    case time
}

/// One `${...}` placeholder of a template, where it stands in the text.
public struct TemplateVariable: Sendable, Hashable {
    /// The most a `TXT_n` or `NUM_n` length may be, and the most variables a template holds.
    public static let lengthRange = 1...20

    /// What values the variable takes.
    public let kind: TemplateVariableKind
    /// 1-based position of the placeholder's `$` in the template text, in Unicode scalars.
    public let position: Int

    /// Creates a variable of `kind` whose `$` is at `position`.
    public init(kind: TemplateVariableKind, position: Int) {
        self.kind = kind
        self.position = position
    }

    /// The placeholder as written in the template, e.g. `${NUM_6}`.
    public var placeholder: String {
        switch kind {
        case .text(let length): "${TXT_\(length)}"
        case .number(let digits): "${NUM_\(digits)}"
        case .date: "${DATE}"
        case .time: "${TIME}"
        }
    }

    /// The longest value, in characters; the console counts a variable at this length when the
    /// values are not known (FAQ 11.6), and so does the estimate: it never falls below the bill.
    public var maximumLength: Int {
        switch kind {
        case .text(let length): length
        case .number(let digits): digits
        case .date: 10  // 2026/07/16
        case .time: 8  // 14:30:30
        }
    }

    /// A value of `maximumLength` GSM-7 basic characters, to count a message whose values are
    /// not known yet. Unknown text is assumed to be in the template's own character set.
    var worstCaseValue: String {
        switch kind {
        case .text(let length): String(repeating: "x", count: length)
        case .number(let digits): String(repeating: "9", count: digits)
        case .date: "2026/12/31"
        case .time: "23:59:59"
        }
    }

    /// The rule `value` breaks, or nil when it fits.
    public func misfit(_ value: String) -> ParameterRule? {
        if value.isEmpty { return .notEmpty }
        if value.unicodeScalars.contains(where: { $0 == "{" || $0 == "}" }) { return .noBraces }
        switch kind {
        case .text(let length):
            return value.unicodeScalars.count > length ? .maxCharacters(length) : nil
        case .number(let digits):
            if !value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { return .digitsOnly }
            return value.utf8.count > digits ? .maxDigits(digits) : nil
        case .date:
            return CalendarValues.dateMisfit(value)
        case .time:
            return CalendarValues.timeMisfit(value)
        }
    }
}
