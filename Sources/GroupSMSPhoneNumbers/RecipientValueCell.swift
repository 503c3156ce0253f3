import GroupSMSModel
import GroupSMSXLSX

/// Turns a value cell into the text that would be sent for its variable (SPEC §7): text cells
/// as the user sees them; numbers as their exact decimal (`1.23456E5` is `123456`, never
/// through `Double`); booleans as Excel shows them; real dates and times (a date number format,
/// or a `t="d"` cell) written for the variable they sit under: `yyyy/MM/dd` for `${DATE}`,
/// `HH:mm` for `${TIME}`, and by what the format shows for any other variable.
enum RecipientValueCell {
    static func text(of cell: XLSXValueCellBytes?, variable: TemplateVariable?, date1904: Bool) -> RecipientValueText {
        guard let cell else { return .text("") }
        switch cell.kind {
        case .sharedString, .inlineString, .formulaString:
            return .utf8(cell.text)
        case .number where cell.numberStyle == .plain:
            if ExactDecimal.isPlain(cell.text) { return .utf8(cell.text) }
            return ExactDecimal.text(cell.text).map { .text($0) }
                ?? .unusable(shown: String(decoding: cell.text, as: UTF8.self), reason: "the numeric cell is not a number")
        case .number:
            guard let value = XLSXCalendarValue.serial(cell.text, date1904: date1904) else {
                return .unusable(shown: String(decoding: cell.text, as: UTF8.self),
                                 reason: "the date cell holds a value Excel cannot show as a date (it shows ####)")
            }
            return .text(calendarText(value, shows: cell.numberStyle, variable: variable))
        case .date:
            guard let value = XLSXCalendarValue.iso(cell.text) else {
                return .unusable(shown: String(decoding: cell.text, as: UTF8.self), reason: "the date cell holds no readable date")
            }
            return .text(calendarText(value, shows: isoStyle(cell.text), variable: variable))
        case .boolean:
            return .text(cell.text.first == UInt8(ascii: "1") || cell.text.first == UInt8(ascii: "t") ? "TRUE" : "FALSE")
        case .error:
            let shown = String(decoding: cell.text, as: UTF8.self)
            return .unusable(shown: shown, reason: "the cell holds the error \(shown); put the value itself in the cell")
        }
    }

    /// The text of a calendar value for `variable`: its own form for `${DATE}` and `${TIME}`,
    /// else what the cell's format shows (date, time, or both).
    private static func calendarText(_ value: XLSXCalendarValue, shows style: XLSXNumberStyle,
                                     variable: TemplateVariable?) -> String {
        switch variable?.kind {
        case .date?: return value.dateText
        case .time?: return value.timeText
        default: break
        }
        switch style {
        case .time: return value.timeText
        case .dateTime: return value.dateText + " " + value.timeText
        case .date, .plain: return value.dateText
        }
    }

    /// What an ISO date cell holds: a date, a time (no `-` date part), or both.
    private static func isoStyle(_ text: UnsafeBufferPointer<UInt8>) -> XLSXNumberStyle {
        let hasTime = text.contains(UInt8(ascii: ":"))
        let hasDate = text.contains(UInt8(ascii: "-")) && (text.firstIndex(of: UInt8(ascii: "-")) ?? 0) > 0
        return hasDate ? (hasTime ? .dateTime : .date) : .time
    }
}

/// The exact decimal text of a number as spreadsheets store it (`[+-]digits[.digits][E[+-]digits]`):
/// no exponent, no leading zeros before the point, no trailing zeros after it.
enum ExactDecimal {
    /// Digits past which a number is not a template value (a `${TXT_20}` takes at most 20).
    static let maximumDigits = 400

    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isPlain(bytes) { return String(decoding: bytes, as: UTF8.self) }
        guard let parts = Parts(bytes) else { return nil }
        return parts.plain()
    }

    /// Whether the stored text is already its exact decimal: digits without a leading zero (nearly
    /// every stored whole number).
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && (bytes.count == 1 || bytes[0] != UInt8(ascii: "0"))
            && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A parsed number: sign, mantissa digits and the power of ten that scales them.
    private struct Parts {
        var negative = false
        var digits: [UInt8] = []
        /// The value is `digits` × 10^scale.
        var scale = 0

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            var index = 0
            func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            while isDigit(index) { digits.append(bytes[index] - UInt8(ascii: "0")); index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                while isDigit(index) { digits.append(bytes[index] - UInt8(ascii: "0")); scale -= 1; index += 1 }
            }
            guard !digits.isEmpty, digits.count <= ExactDecimal.maximumDigits else { return nil }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                var exponentNegative = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                    exponentNegative = bytes[index] == UInt8(ascii: "-")
                    index += 1
                }
                guard isDigit(index) else { return nil }
                var exponent = 0
                while isDigit(index) {
                    exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                    guard exponent <= ExactDecimal.maximumDigits else { return nil }
                    index += 1
                }
                scale += exponentNegative ? -exponent : exponent
            }
            guard index == bytes.count else { return nil }
        }

        func plain() -> String {
            var integer: [UInt8] = scale >= 0 ? digits + [UInt8](repeating: 0, count: scale)
                : Array(digits.dropLast(min(-scale, digits.count)))
            var fraction: [UInt8] = scale >= 0 ? []
                : [UInt8](repeating: 0, count: max(0, -scale - digits.count)) + digits.suffix(min(-scale, digits.count))
            while integer.count > 1, integer[0] == 0 { integer.removeFirst() }
            if integer.isEmpty { integer = [0] }
            while fraction.last == 0 { fraction.removeLast() }
            let isZero = integer == [0] && fraction.isEmpty
            var text = negative && !isZero ? "-" : ""
            text += String(decoding: integer.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
            if !fraction.isEmpty { text += "." + String(decoding: fraction.map { $0 + UInt8(ascii: "0") }, as: UTF8.self) }
            return text
        }
    }
}
