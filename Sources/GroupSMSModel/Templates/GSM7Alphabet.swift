/// The GSM 7-bit default alphabet and its extension table (GSM 03.38 / 3GPP TS 23.038), which
/// decide whether an international message goes as GSM-7 and how many septets it takes
/// (FAQ 11.21, table 11-1).
public enum GSM7Alphabet {
    /// The basic table in code order 0x00-0x7F. Position 0x1B is the escape to the extension
    /// table, not a character, so it is taken out of the set below.
    static let basicTable =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1B}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

    /// The extension table's characters, each sent as escape + code (two septets): form feed
    /// (0x0A), ^ (0x14), { } (0x28, 0x29), \ (0x2F), [ ~ ] (0x3C-0x3E), | (0x40) and € (0x65).
    static let extensionTable = "\u{0C}^{}\\[~]|€"

    /// The 127 characters of the basic table.
    public static let basicCharacters: Set<Unicode.Scalar> =
        Set(basicTable.unicodeScalars).subtracting(["\u{1B}"])

    /// The 10 characters of the extension table.
    public static let extensionCharacters: Set<Unicode.Scalar> = Set(extensionTable.unicodeScalars)

    /// Septets `scalar` takes in a GSM-7 message: 1 for the basic table, 2 for the extension
    /// table, nil when it has no GSM-7 code (the message must go as UCS-2).
    @inline(__always)
    public static func septets(for scalar: Unicode.Scalar) -> Int? {
        let value = scalar.value
        if value < 0x80 {
            let width = asciiSeptets[Int(value)]
            return width == 0 ? nil : Int(width)
        }
        if basicCharacters.contains(scalar) { return 1 }
        return extensionCharacters.contains(scalar) ? 2 : nil
    }

    /// Septets per ASCII code (0 = no GSM-7 code), so the common case needs no hashing.
    private static let asciiSeptets: [UInt8] = (0..<0x80).map { code in
        let scalar = Unicode.Scalar(UInt8(code))
        if basicCharacters.contains(scalar) { return 1 }
        return extensionCharacters.contains(scalar) ? 2 : 0
    }
}
