import Foundation

/// The `t=` attribute of a cell, as the sheet scan reads it.
enum XLSXStoredCellType {
    case number, shared, inline, formula, boolean, error, date

    /// Reads a `t` value; nil for a type the format does not have.
    init?(_ value: UnsafeBufferPointer<UInt8>) {
        switch value.count {
        case 0: self = .number
        case 1:
            switch value[0] {
            case UInt8(ascii: "n"): self = .number
            case UInt8(ascii: "s"): self = .shared
            case UInt8(ascii: "b"): self = .boolean
            case UInt8(ascii: "e"): self = .error
            case UInt8(ascii: "d"): self = .date
            default: return nil
            }
        case 3 where value[0] == UInt8(ascii: "s") && value[1] == UInt8(ascii: "t") && value[2] == UInt8(ascii: "r"):
            self = .formula
        case 9 where memcmp(value.baseAddress!, "inlineStr", 9) == 0:
            self = .inline
        default:
            return nil
        }
    }
}

/// Reading the bytes of attribute values and cell text during the sheet scan.
enum XLSXScanText {
    /// The bytes as a string, for messages.
    static func string(_ value: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: value, as: UTF8.self)
    }

    /// A non-negative index of at most 10 digits (a shared-string, style or number-format id), spaces
    /// around it allowed; nil for anything else.
    static func index(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let digits = trimmed(bytes)
        guard !digits.isEmpty, digits.count <= 10 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// The bytes without the XML white space around them.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
