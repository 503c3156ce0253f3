/// A status-report body the receiver cannot accept, saying what is wrong and where.
///
/// `entry` is the 1-based position in a batch's `statusReportList` (nil for a single report).
/// The receiver answers 413 to `bodyTooLarge`; every other error makes an entry (or the whole
/// body) malformed: counted and kept raw, while the request is answered 200 and its other
/// entries are applied. Descriptions may quote what was sent; `UntrustedText.escaped` makes log
/// lines of them safe for a terminal.
public enum StatusReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body is larger than the receiver accepts.
    case bodyTooLarge(bytes: Int, limit: Int)
    /// The body ended before the size its Content-Length declared (the connection was cut).
    case truncatedBody(bytes: Int, declared: Int)
    /// The body is empty (or only white space).
    case emptyBody
    /// A `%` escape in the form body is not `%` followed by two hex digits.
    case badPercentEncoding(field: String, detail: String)
    /// A form field does not decode to UTF-8 text.
    case notUTF8(field: String)
    /// A form field appears more than once, so its value is ambiguous.
    case duplicateField(String)
    /// The batch body is not JSON.
    case badJSON(String)
    /// A batch holds more reports than the platform ever sends at once.
    case tooManyReports(count: Int, limit: Int)
    /// A mandatory field is absent or empty.
    case missingField(String, entry: Int?)
    /// A field is longer than the API reference allows.
    case fieldTooLong(String, length: Int, limit: Int, entry: Int?)
    /// A JSON value has the wrong type (e.g. an object where a string belongs).
    case wrongType(String, expected: String, found: String, entry: Int?)
    /// A field has a value the API reference does not allow (e.g. `total=0`).
    case invalidValue(String, value: String, reason: String, entry: Int?)
    /// A field holds a control character (C0 such as ESC, DEL, C1) or a bidirectional
    /// formatting character, given as its code point.
    case controlCharacter(String, scalar: UInt32, entry: Int?)

    public var description: String {
        switch self {
        case .bodyTooLarge(let bytes, let limit):
            return "status report body of \(bytes) bytes is over the \(limit)-byte limit; the platform sends at most "
                + "50 reports per request, far less than that"
        case .truncatedBody(let bytes, let declared):
            return "status report body ended after \(bytes) of the \(declared) bytes its Content-Length declares "
                + "(the connection was cut); nothing of it was applied"
        case .emptyBody:
            return "status report body is empty; expected a form body (smsMsgId=...&status=...) "
                + "or JSON {\"statusReportList\":[...]}"
        case .badPercentEncoding(let field, let detail):
            return "status report form field \(field) is not valid URL encoding: \(detail)"
        case .notUTF8(let field):
            return "status report form field \(field) does not decode to UTF-8 text"
        case .duplicateField(let field):
            return "status report form field \(field) appears more than once; a single report has one of each field"
        case .badJSON(let detail):
            return "batch status report body is not valid JSON: \(detail)"
        case .tooManyReports(let count, let limit):
            return "batch status report holds \(count) reports; the platform sends at most \(limit) per request"
        case .missingField(let field, let entry):
            return "\(Self.place(entry))\(field) is missing or empty; every status report needs smsMsgId and status"
        case .fieldTooLong(let field, let length, let limit, let entry):
            return "\(Self.place(entry))\(field) is \(length) characters long; the API allows at most \(limit)"
        case .wrongType(let field, let expected, let found, let entry):
            return "\(Self.place(entry))\(field) is \(found); expected \(expected)"
        case .invalidValue(let field, let value, let reason, let entry):
            return "\(Self.place(entry))\(field) '\(value.prefix(40))' is not valid: \(reason)"
        case .controlCharacter(let field, let scalar, let entry):
            let hex = String(scalar, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return "\(Self.place(entry))\(field) holds \(code), a control or formatting character; reports "
                + "holding one are refused, so nothing untrusted reaches the store or a terminal"
        }
    }

    private static func place(_ entry: Int?) -> String {
        entry.map { "status report \($0) of statusReportList: " } ?? "status report: "
    }
}
