import Foundation

/// A character that forced a message into UCS-2, with the GSM-7 text that looks like it.
public struct NonGSMCharacter: Sendable, Hashable, Codable {
    /// The character as it appears in the message.
    public let character: String
    /// GSM-7 text to write instead, when a look-alike exists (may be empty: delete the character).
    public let replacement: String?

    /// Creates an entry for `character`, with its `replacement` if one exists.
    public init(character: String, replacement: String?) {
        self.character = character
        self.replacement = replacement
    }
}

/// GSM-7 look-alikes for characters that word processors and phones put into text, so a user can
/// keep a message in GSM-7 (160 characters a segment) instead of UCS-2 (70).
public enum GSM7LookAlikes {
    /// The distinct characters of `text` that have no GSM-7 code, in order of first appearance,
    /// each with its look-alike when one exists. Characters are user-perceived characters; one is
    /// listed when any of its scalars lacks a GSM-7 code.
    public static func nonGSMCharacters(in text: String) -> [NonGSMCharacter] {
        var seen = Set<Character>()
        var found: [NonGSMCharacter] = []
        for character in text where !isGSM7(character) && seen.insert(character).inserted {
            found.append(NonGSMCharacter(character: String(character), replacement: replacement(for: character)))
        }
        return found
    }

    /// The GSM-7 text that looks like `character`, or nil when there is none.
    public static func replacement(for character: Character) -> String? {
        if let known = table[character] { return known }
        // A letter with a separate combining accent (e + U+0301) composes to a GSM-7 letter (é).
        let composed = String(character).precomposedStringWithCanonicalMapping
        return composed.unicodeScalars.allSatisfy({ GSM7Alphabet.septets(for: $0) != nil }) ? composed : nil
    }

    private static func isGSM7(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { GSM7Alphabet.septets(for: $0) != nil }
    }

    /// Punctuation, spaces and letters with a GSM-7 look-alike. Letters map to the GSM-7 letter
    /// without the accent that GSM-7 lacks (ç has no code; its capital Ç has).
    static let table: [Character: String] = quotesAndDashes
        .merging(spaces) { first, _ in first }
        .merging(letters) { first, _ in first }

    private static let quotesAndDashes: [Character: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201A}": "'", "\u{201B}": "'", "\u{2032}": "'",
        "\u{00B4}": "'", "`": "'", "\u{2039}": "'", "\u{203A}": "'",
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{201F}": "\"", "\u{2033}": "\"",
        "\u{00AB}": "\"", "\u{00BB}": "\"",
        "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2013}": "-", "\u{2014}": "-",
        "\u{2015}": "-", "\u{2212}": "-", "\u{00AD}": "",
        "\u{2026}": "...", "\u{2022}": "*", "\u{00B7}": ".", "\u{00D7}": "x",
        "\u{FF01}": "!", "\u{FF0C}": ",", "\u{FF0E}": ".", "\u{FF1A}": ":", "\u{FF1B}": ";", "\u{FF1F}": "?",
    ]

    /// No-break and typographic spaces become a space; zero-width characters and tab are removed
    /// or widened, since GSM-7 has neither.
    private static let spaces: [Character: String] = [
        "\u{00A0}": " ", "\u{2002}": " ", "\u{2003}": " ", "\u{2007}": " ", "\u{2009}": " ",
        "\u{200A}": " ", "\u{202F}": " ", "\u{3000}": " ", "\t": " ",
        "\u{200B}": "", "\u{200C}": "", "\u{200D}": "", "\u{2060}": "", "\u{FEFF}": "",
    ]

    private static let letters: [Character: String] = [
        "á": "a", "â": "a", "ã": "a", "ā": "a", "Á": "A", "Â": "A", "Ã": "A", "À": "A", "Ā": "A",
        "ê": "e", "ë": "e", "ē": "e", "Ê": "E", "È": "E", "Ë": "E", "Ē": "E",
        "í": "i", "î": "i", "ï": "i", "ī": "i", "Í": "I", "Ì": "I", "Î": "I", "Ï": "I",
        "ó": "o", "ô": "o", "õ": "o", "ō": "o", "Ó": "O", "Ò": "O", "Ô": "O", "Õ": "O",
        "ú": "u", "û": "u", "ū": "u", "Ú": "U", "Ù": "U", "Û": "U",
        "ç": "Ç", "ý": "y", "ÿ": "y", "Ý": "Y", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
    ]
}
