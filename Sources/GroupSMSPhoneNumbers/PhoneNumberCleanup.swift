import Foundation

/// The digits left after clean-up (written to a buffer as values 0...9), or why none are usable.
enum CleanedPhoneDigits: Equatable {
    /// `count` digits (only the first `PhoneNumberNormalizer.scratchSlotSize` are stored; longer
    /// inputs are too long anyway) and whether a + (or a leading 00) preceded them.
    case digits(count: Int, hasPlus: Bool)
    case rejected(PhoneNumberRejection.Reason)
}

/// SPEC §2 step 1-2: cell text to `+` and digits.
///
/// Text: Unicode NFKC (full-width digits and plus become ASCII), then white space (Unicode
/// White_Space: includes no-break and ideographic spaces), zero-width characters (U+200B-U+200D,
/// U+2060, U+FEFF) and the separators `- . ( ) / '` are removed; a leading `00` becomes `+`.
/// What remains must be an optional leading `+` and digits (any Unicode decimal digit, read as
/// its value, as libphonenumber does). ASCII text, the common case, skips NFKC.
enum PhoneNumberCleanup {
    static func clean(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>) -> CleanedPhoneDigits {
        let ascii = text.utf8.withContiguousStorageIfAvailable { cleanASCII($0, into: buffer) }
        if let ascii, let result = ascii { return result }
        return cleanCommonUnicode(text, into: buffer) ?? cleanUnicode(text, into: buffer)
    }

    /// `clean` on UTF-8 bytes: ASCII text is cleaned in place; only text with a non-ASCII byte
    /// becomes a `String`, for NFKC.
    static func clean(bytes: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt8>) -> CleanedPhoneDigits {
        if let result = cleanASCII(bytes, into: buffer) { return result }
        let text = String(decoding: bytes, as: UTF8.self)
        return cleanCommonUnicode(text, into: buffer) ?? cleanUnicode(text, into: buffer)
    }

    /// The result for all-ASCII text; nil when a non-ASCII byte appears (NFKC may apply).
    private static func cleanASCII(_ bytes: UnsafeBufferPointer<UInt8>,
                                   into buffer: UnsafeMutableBufferPointer<UInt8>) -> CleanedPhoneDigits? {
        var writer = PhoneDigitWriter(buffer: buffer)
        for (index, byte) in bytes.enumerated() {
            if byte >= 0x80 { return nil }
            if let rejection = writer.consume(ascii: byte) {
                // A combining mark further on could compose with this character under NFKC.
                return bytes[index...].contains { $0 >= 0x80 } ? nil : .rejected(rejection)
            }
        }
        return writer.finish()
    }

    /// Text whose only non-ASCII characters are full-width forms (U+FF01-U+FF5E), white space,
    /// zero-width characters and decimal digits: NFKC maps full-width forms to ASCII and digits
    /// to digits of the same value, and leaves the rest, so this gives what `cleanUnicode`
    /// gives, without Foundation. Nil when another character needs the full NFKC.
    private static func cleanCommonUnicode(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>) -> CleanedPhoneDigits? {
        var writer = PhoneDigitWriter(buffer: buffer)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            // A rejection is left to the NFKC path, which sees composed characters.
            if value < 0x80 {
                if writer.consume(ascii: UInt8(value)) != nil { return nil }
            } else if value >= 0xFF01 && value <= 0xFF5E {
                if writer.consume(ascii: UInt8(value - 0xFEE0)) != nil { return nil }
            } else if isZeroWidth(scalar) || scalar.properties.isWhitespace {
                continue
            } else if let digit = decimalValue(scalar) {
                writer.append(digit: digit)
            } else {
                return nil
            }
        }
        return writer.finish()
    }

    private static func cleanUnicode(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>) -> CleanedPhoneDigits {
        var writer = PhoneDigitWriter(buffer: buffer)
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.isASCII {
                if let rejection = writer.consume(ascii: UInt8(scalar.value)) { return .rejected(rejection) }
            } else if scalar.properties.isWhitespace || isZeroWidth(scalar) {
                continue
            } else if let digit = decimalValue(scalar) {
                writer.append(digit: digit)
            } else {
                return .rejected(.forbiddenCharacter(String(scalar)))
            }
        }
        return writer.finish()
    }

    /// The value of a Unicode decimal digit (general category Nd), as libphonenumber reads it.
    private static func decimalValue(_ scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
              value >= 0, value <= 9 else { return nil }
        return UInt8(value)
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200D, 0x2060, 0xFEFF: true
        default: false
        }
    }
}

/// Accumulates cleaned digits into a buffer.
struct PhoneDigitWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0
    private(set) var hasPlus = false
    /// A + or a separator was seen: the cell was not blank.
    private var sawSymbol = false

    init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    @inline(__always)
    mutating func append(digit: UInt8) {
        if count < buffer.count { buffer[count] = digit }
        count += 1
    }

    /// Handles one ASCII character; returns a rejection when it is not allowed.
    @inline(__always)
    mutating func consume(ascii byte: UInt8) -> PhoneNumberRejection.Reason? {
        let digit = byte &- UInt8(ascii: "0")
        if digit < 10 {
            append(digit: digit)
            return nil
        }
        switch byte {
        case UInt8(ascii: "+"):
            guard count == 0, !hasPlus else { return .misplacedPlus }
            hasPlus = true
            sawSymbol = true
        case UInt8(ascii: " "), 0x09...0x0D:
            break
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"), UInt8(ascii: "'"):
            sawSymbol = true
        default:
            return .forbiddenCharacter(String(Unicode.Scalar(byte)))
        }
        return nil
    }

    /// Applies the leading-00 rule and reports the result.
    func finish() -> CleanedPhoneDigits {
        guard count > 0 else { return .rejected(hasPlus || sawSymbol ? .noDigits : .emptyCell) }
        if !hasPlus && count >= 2 && buffer[0] == 0 && buffer[1] == 0 {
            guard count > 2 else { return .rejected(.noDigits) }
            let stored = min(count, buffer.count)
            for index in 0..<(stored - 2) { buffer[index] = buffer[index + 2] }
            return .digits(count: count - 2, hasPlus: true)
        }
        return .digits(count: count, hasPlus: hasPlus)
    }
}
