import Foundation

/// Text in double quotes, the two ways groupsms writes it: inside a message a person reads, and
/// as a JSON string literal.
public enum QuotedText {
    /// `value` in double quotes on one line, for messages: `"`, `\`, CR, LF and tab escaped.
    public static func message(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `value` as a JSON string literal: quotes, backslashes and every control character (C0,
    /// DEL, C1, line and paragraph separators) escaped; other characters as they are, so no
    /// value can break a line or reach a terminal as a control sequence.
    public static func json(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
