/// Why a cell is not a usable phone number, with a message the user can act on.
public struct PhoneNumberRejection: Sendable, Hashable {
    /// What is wrong.
    public enum Reason: Sendable, Hashable {
        /// The cell holds nothing but white space or separators.
        case emptyCell
        /// A boolean cell (TRUE/FALSE).
        case booleanCell(String)
        /// A spreadsheet error cell (#N/A, #VALUE! ...).
        case errorCell(String)
        /// A date cell.
        case dateCell(String)
        /// A numeric cell whose stored text is not a decimal number.
        case unreadableNumericCell(String)
        /// A numeric cell holding a fraction.
        case fractionalNumber(String)
        /// A numeric cell holding a negative number.
        case negativeNumber(String)
        /// A character other than digits, a leading +, white space and `- . ( ) / '`.
        case forbiddenCharacter(String)
        /// A + that is not the first character.
        case misplacedPlus
        /// Only a + (or 00), no digits.
        case noDigits
        /// Fewer digits than any phone number has (libphonenumber: NOT_A_NUMBER).
        case tooFewDigits
        /// + or an international prefix followed by an unassigned calling code.
        case unknownCountryCode
        /// An international prefix followed by at most two digits.
        case tooShortAfterInternationalPrefix
        /// Fewer than two digits left after the country code and trunk prefix.
        case tooShort
        /// More digits than any phone number has (over 17 after the country code).
        case tooLong
        /// A number that parses but is not valid for its region (libphonenumber's isValidNumber).
        case invalidNumber(e164: String, regionCode: String, lengthCheck: PhoneNumberLengthCheck)
    }

    /// What is wrong.
    public let reason: Reason
    /// The cell was numeric and no country code was found in it: the spreadsheet probably
    /// dropped a leading + or 0.
    public let spreadsheetMayHaveDroppedPrefix: Bool

    /// Creates a rejection.
    public init(_ reason: Reason, spreadsheetMayHaveDroppedPrefix: Bool = false) {
        self.reason = reason
        self.spreadsheetMayHaveDroppedPrefix = spreadsheetMayHaveDroppedPrefix
    }

    /// The text that follows the hint for numeric cells without a country code.
    public static let droppedPrefixHint = "the leading + or 0 may have been dropped; format the column as Text"

    /// The user-facing reason, e.g. "+8612345 is not a valid CN number: too short".
    public var message: String {
        spreadsheetMayHaveDroppedPrefix ? "\(reasonText); \(Self.droppedPrefixHint)" : reasonText
    }

    private var reasonText: String {
        switch reason {
        case .emptyCell: "the cell is empty"
        case .booleanCell(let value): "the cell holds the logical value \(value), not a phone number"
        case .errorCell(let value): "the cell holds the spreadsheet error \(value), not a phone number"
        case .dateCell: "the cell holds a date, not a phone number; format the column as Text and type the number again"
        case .unreadableNumericCell(let value): "the numeric cell value \(value) cannot be read as a number"
        case .fractionalNumber: "the numeric cell holds a fraction, not a whole phone number"
        case .negativeNumber: "the numeric cell holds a negative number"
        case .forbiddenCharacter(let character):
            "contains \"\(character)\"; a phone number may only hold digits, one leading +, spaces and - . ( ) / '"
        case .misplacedPlus: "has a + that is not at the start"
        case .noDigits: "contains no digits"
        case .tooFewDigits: "has too few digits to be a phone number"
        case .unknownCountryCode: "does not start with a known country calling code after the + or 00"
        case .tooShortAfterInternationalPrefix: "has too few digits after the international prefix"
        case .tooShort: "has too few digits after the country code and trunk prefix"
        case .tooLong: "has too many digits to be a phone number"
        case .invalidNumber(let e164, let region, let lengthCheck):
            "\(e164) is not a valid \(region) number: " + Self.explain(lengthCheck, region: region)
        }
    }

    private static func explain(_ check: PhoneNumberLengthCheck, region: String) -> String {
        switch check {
        case .tooShort: "too short"
        case .tooLong: "too long"
        case .invalidLength: "no \(region) number has this many digits"
        case .possibleLocalOnly: "a local number without its area code"
        case .possible: "no \(region) number starts with these digits"
        }
    }
}
