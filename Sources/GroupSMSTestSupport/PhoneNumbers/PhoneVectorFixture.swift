import Foundation
import GroupSMSPhoneNumbers

/// The phone-number test vectors generated from the reference library
/// (Tests/GroupSMSPhoneNumbersTests/Fixtures/PhoneNumbers/phone-vectors.tsv).
public enum PhoneVectorFixture {
    /// One vector: default region, cell, and the reference result.
    public struct Vector: Sendable {
        public var region: String
        public var value: RecipientCellValue
        /// E.164, or `!` and a rejection code (see the generator).
        public var expected: String
        /// libphonenumber's type name for valid numbers, "-" otherwise.
        public var type: String
    }

    /// A fixture line that does not follow the format.
    public struct FormatError: Error, CustomStringConvertible {
        public let line: Int
        public let description: String
    }

    /// Reads the vectors from the test bundle's Fixtures folder, or from `url`.
    public static func load(from url: URL) throws -> [Vector] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var vectors: [Vector] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated()
        where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, fields[1] == "t" || fields[1] == "n" else {
                throw FormatError(line: offset + 1, description: "expected 5 tab-separated fields")
            }
            let input = try unescape(fields[2], line: offset + 1)
            vectors.append(Vector(region: fields[0], value: fields[1] == "t" ? .text(input) : .number(input),
                                  expected: fields[3], type: fields[4]))
        }
        return vectors
    }

    /// The reference-style code of an outcome: (E.164 or `!code`, type name or "-").
    public static func code(for outcome: PhoneNumberOutcome) -> (expected: String, type: String) {
        switch outcome {
        case .valid(let number):
            return (number.e164, typeName(number.type))
        case .rejected(let rejection):
            switch rejection.reason {
            case .emptyCell: return ("!EMPTY", "-")
            case .forbiddenCharacter: return ("!CHAR", "-")
            case .misplacedPlus: return ("!PLUS", "-")
            case .noDigits: return ("!NODIGITS", "-")
            case .fractionalNumber: return ("!FRACTION", "-")
            case .negativeNumber: return ("!NEGATIVE", "-")
            case .unreadableNumericCell: return ("!UNREADABLE", "-")
            case .booleanCell, .errorCell, .dateCell: return ("!CELL", "-")
            case .tooFewDigits: return ("!NOT_A_NUMBER", "-")
            case .unknownCountryCode: return ("!INVALID_COUNTRY_CODE", "-")
            case .tooShortAfterInternationalPrefix: return ("!TOO_SHORT_AFTER_IDD", "-")
            case .tooShort: return ("!TOO_SHORT_NSN", "-")
            case .tooLong: return ("!TOO_LONG", "-")
            case .invalidNumber(let e164, _, _): return ("!INVALID:" + e164, "-")
            }
        }
    }

    /// libphonenumber's name for a type ("FIXED_LINE_OR_MOBILE").
    public static func typeName(_ type: PhoneNumberType) -> String {
        switch type {
        case .fixedLine: "FIXED_LINE"
        case .mobile: "MOBILE"
        case .fixedLineOrMobile: "FIXED_LINE_OR_MOBILE"
        case .tollFree: "TOLL_FREE"
        case .premiumRate: "PREMIUM_RATE"
        case .sharedCost: "SHARED_COST"
        case .voip: "VOIP"
        case .personalNumber: "PERSONAL_NUMBER"
        case .pager: "PAGER"
        case .uan: "UAN"
        case .voicemail: "VOICEMAIL"
        }
    }

    /// Undoes the generator's `\uXXXX` / `\UXXXXXXXX` escapes.
    static func unescape(_ field: String, line: Int) throws -> String {
        guard field.contains("\\") else { return field }
        var scalars = String.UnicodeScalarView()
        var iterator = field.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                scalars.append(scalar)
                continue
            }
            let width: Int
            switch iterator.next() {
            case "u": width = 4
            case "U": width = 8
            default: throw FormatError(line: line, description: "bad escape")
            }
            var hex = ""
            for _ in 0..<width { if let digit = iterator.next() { hex.unicodeScalars.append(digit) } }
            guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
                throw FormatError(line: line, description: "bad escape \\\(hex)")
            }
            scalars.append(decoded)
        }
        return String(scalars)
    }
}
