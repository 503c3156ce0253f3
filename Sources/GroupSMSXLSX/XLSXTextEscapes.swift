import Foundation

/// The `_xHHHH_` escapes OOXML uses for characters XML cannot carry (ECMA-376 ST_Xstring).
enum XLSXTextEscapes {
    /// Decodes escapes in `bytes[start...]` in place (the result is never longer). UTF-16
    /// surrogate pairs written as two escapes are joined; a lone surrogate becomes U+FFFD.
    static func decode(_ bytes: inout [UInt8], from start: Int = 0) {
        guard bytes.count - start >= 7 else { return }
        let hasUnderscore = bytes.withUnsafeBufferPointer {
            memchr($0.baseAddress! + start, Int32(UInt8(ascii: "_")), $0.count - start) != nil
        }
        guard hasUnderscore else { return }
        var read = start, write = start
        while read < bytes.count {
            if let unit = codeUnit(bytes, at: read) {
                read += 7
                var scalar: UInt32 = 0xFFFD
                if (0xD800...0xDBFF).contains(unit) {
                    if let low = codeUnit(bytes, at: read), (0xDC00...0xDFFF).contains(low) {
                        read += 7
                        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    }
                } else if !(0xDC00...0xDFFF).contains(unit) {
                    scalar = UInt32(unit)
                }
                for byte in UTF8.encode(Unicode.Scalar(scalar)!)! {
                    bytes[write] = byte
                    write += 1
                }
            } else {
                bytes[write] = bytes[read]
                write += 1
                read += 1
            }
        }
        bytes.removeLast(bytes.count - write)
    }

    /// The code unit of an escape starting at `index`, if one does.
    private static func codeUnit(_ bytes: [UInt8], at index: Int) -> UInt16? {
        guard index + 7 <= bytes.count, bytes[index] == UInt8(ascii: "_"),
              bytes[index + 1] | 0x20 == UInt8(ascii: "x"), bytes[index + 6] == UInt8(ascii: "_") else { return nil }
        var value: UInt16 = 0
        for offset in 2...5 {
            guard let digit = hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Escapes `text` for a workbook: characters XML 1.0 cannot hold (and carriage return, which
    /// XML would turn into a line feed) become `_xHHHH_`, and an underscore that would start
    /// something that reads as an escape becomes `_x005F_`, so the text round-trips exactly.
    static func encode(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) || $0 == "_" }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = ""
        result.reserveCapacity(scalars.count + 16)
        for (index, scalar) in scalars.enumerated() {
            if needsEscape(scalar) || (scalar == "_" && looksLikeEscape(scalars, at: index)) {
                result += "_x" + hex4(scalar.value) + "_"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    private static func looksLikeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 7 <= scalars.count, scalars[index + 1] == "x" || scalars[index + 1] == "X",
              scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
