/// The Message & SMS console's naming rule for uploaded files and task names: letters, Chinese
/// characters and digits only.
///
/// groupsms applies it to names shown to the platform; local file paths only get a note,
/// because refusing a user's own file name would help nobody.
public enum ConsoleNameRule {
    /// Whether `name` is non-empty and made only of ASCII letters, digits and CJK ideographs.
    public static func accepts(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy(isAllowed)
    }

    /// `name` with every character the console would refuse removed (may be empty).
    public static func sanitized(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter(isAllowed)))
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true  // ASCII digits and letters
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true  // CJK ideographs
        default: false
        }
    }
}
