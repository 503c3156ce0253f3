/// Why a signature name was refused; its description completes
/// `signature "X" cannot be used: <rule>`.
public enum SignatureRule: Sendable, Hashable, CustomStringConvertible {
    /// Not 2 to 32 characters long (FAQ 4.1 "Length").
    case length(Int)
    /// Made of digits only (FAQ 4.1: "The name cannot contain only digits").
    case onlyDigits
    /// Written with its brackets; the platform adds them (FAQ 4.1 "Format").
    case brackets
    /// Holds a character that is neither a letter (of any script) nor a digit.
    case character(String)

    /// The rule in words, with what to write instead.
    public var description: String {
        switch self {
        case .length(let count):
            "a signature has \(SignatureName.lengthRange.lowerBound) to \(SignatureName.lengthRange.upperBound) " +
                "letters or digits (FAQ 4.1); this one has \(count)"
        case .onlyDigits:
            "a signature cannot be digits only (FAQ 4.1)"
        case .brackets:
            "give the name without brackets; the platform adds 【】 itself (FAQ 4.1)"
        case .character(let character):
            "\(TemplateError.quoted(character)) is not a letter or digit; a signature holds only letters " +
                "(Chinese characters included) and digits (FAQ 4.1, FAQ 11.2)"
        }
    }
}

/// A Chinese mainland signature name, as registered on the platform and passed in `signature`.
///
/// FAQ 4.1 ("Signature Rules", Length): 2 to 32 characters of digits and letters, not only digits,
/// each letter or digit one character; the platform encloses the name in brackets. FAQ 11.2 (a
/// review rejection) says 2 to 16 characters including Chinese characters; we take the wider
/// 2 to 32 of the rules page so that a signature the platform registered is never refused here,
/// and count letters of any script (Chinese characters included) as letters.
public struct SignatureName: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The allowed length, in characters (FAQ 4.1).
    public static let lengthRange = 2...32

    /// The name without brackets.
    public let value: String

    /// Validates `value` against the platform's signature rules.
    public init(_ value: String) throws(TemplateError) {
        if let rule = Self.misfit(value) { throw .invalidSignature(name: value, rule: rule) }
        self.value = value
    }

    /// How the signature opens a mainland message: `【name】` (FAQ 11.21 counts both brackets).
    public var bracketed: String { "【\(value)】" }

    /// The name itself.
    public var description: String { value }

    /// Decodes a stored name, applying the same rules as `init(_:)`.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the bare name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    private static let bracketCharacters: Set<Character> = ["[", "]", "【", "】", "［", "］"]

    private static func misfit(_ value: String) -> SignatureRule? {
        if value.contains(where: bracketCharacters.contains) { return .brackets }
        if let bad = value.first(where: { !$0.isLetter && !isASCIIDigit($0) }) { return .character(String(bad)) }
        guard lengthRange.contains(value.count) else { return .length(value.count) }
        return value.allSatisfy(isASCIIDigit) ? .onlyDigits : nil
    }

    private static func isASCIIDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }
}
