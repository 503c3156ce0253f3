/// The simulated platform's own count of a message's segments (FAQ 11.21, table 11-1), kept
/// apart from the product's counter so that tests compare two readings of the same rules.
///
/// International: GSM-7 if every character is in GSM 03.38's default alphabet or its extension
/// table (extension characters take two septets), 160 septets in one segment, else parts of 153;
/// otherwise UCS-2, 70 UTF-16 units in one segment, else parts of 67. Mainland: `【signature】`
/// plus the content, UTF-16 units, 70, else parts of 67. A part never splits a two-unit character
/// (an escape pair or a surrogate pair): such a character moves to the next part.
public enum SimulatedSegmentCounter {
    /// The count of one message.
    public struct Count: Sendable, Equatable {
        /// `GSM-7`, `UCS-2` or `mainland`.
        public let encoding: String
        /// Septets or UTF-16 units.
        public let units: Int
        /// Parts billed.
        public let segments: Int
    }

    /// Counts `content` sent to a mainland number (with `signature`, if any) or an international one.
    public static func count(content: String, toMainland: Bool, signature: String?) -> Count {
        if toMainland {
            let text = signature.map { "【" + $0 + "】" + content } ?? content
            return count(widths: utf16Widths(text), encoding: "mainland", single: 70, part: 67)
        }
        if let septets = gsmWidths(content) {
            return count(widths: septets, encoding: "GSM-7", single: 160, part: 153)
        }
        return count(widths: utf16Widths(content), encoding: "UCS-2", single: 70, part: 67)
    }

    private static func count(widths: [Int], encoding: String, single: Int, part: Int) -> Count {
        let units = widths.reduce(0, +)
        guard units > single else { return Count(encoding: encoding, units: units, segments: 1) }
        var parts = 0
        var next = 0
        while next < widths.count {
            parts += 1
            var room = part
            while next < widths.count, widths[next] <= room {
                room -= widths[next]
                next += 1
            }
        }
        return Count(encoding: encoding, units: units, segments: parts)
    }

    private static func utf16Widths(_ text: String) -> [Int] {
        text.unicodeScalars.map { String($0).utf16.count }
    }

    /// Septets per scalar, or nil if a scalar is outside GSM-7.
    private static func gsmWidths(_ text: String) -> [Int]? {
        var widths: [Int] = []
        for scalar in text.unicodeScalars {
            if oneSeptet.contains(scalar) {
                widths.append(1)
            } else if twoSeptets.contains(scalar) {
                widths.append(2)
            } else {
                return nil
            }
        }
        return widths
    }

    /// GSM 03.38 default alphabet, grouped by kind rather than by code. Sets of scalars, not of
    /// Characters: Character equality is canonical, so the Ohm sign (U+2126) would pass for Ω and
    /// the Greek question mark (U+037E) for ';', which no GSM-7 encoder maps.
    private static let oneSeptet: Set<Unicode.Scalar> = Set((
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz" + "0123456789"
            + " !\"#%&'()*+,-./:;<=>?" + "@$_" + "£¥¤§¡¿"
            + "ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùü" + "ΔΦΓΛΩΠΨΣΘΞ" + "\n\r"
    ).unicodeScalars)

    /// GSM 03.38 extension table: form feed, ^ { } \ [ ~ ] | €.
    private static let twoSeptets: Set<Unicode.Scalar> = Set("^{}\\[~]|€\u{0C}".unicodeScalars)
}
