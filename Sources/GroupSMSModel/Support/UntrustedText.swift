/// Text groupsms did not write itself (cell values, job files, status reports, platform
/// descriptions) on its way to a terminal, a log or an export: control characters in it could
/// forge or hide output (a raw ESC starts a terminal escape sequence; a newline starts a line
/// that looks like groupsms's own).
///
/// The rule, in one place: C0 controls (U+0000–U+001F, ESC and newline among them), DEL, C1
/// controls (U+0080–U+009F), the Unicode bidirectional formatting characters (which reorder what
/// a terminal shows) and the line and paragraph separators are forbidden; everything else is
/// shown as it is.
public enum UntrustedText {
    /// The first forbidden scalar in `text`, if any.
    public static func firstForbiddenScalar(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isForbidden)
    }

    /// `text` with each forbidden scalar written as `\u` and four lower-case hex digits
    /// (`\u001b` for ESC, `\u000a` for a newline), for messages, logs and exports: the reader
    /// still sees what was there, and nothing acts on the terminal.
    public static func escaped(_ text: String) -> String {
        replacing(text) { scalar in
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }

    /// `text` with each forbidden scalar replaced by `?`, where width matters (the progress line).
    public static func masked(_ text: String) -> String {
        replacing(text) { _ in "?" }
    }

    private static func replacing(_ text: String, with replacement: (Unicode.Scalar) -> String) -> String {
        guard firstForbiddenScalar(in: text) != nil else { return text }
        var result = String.UnicodeScalarView()
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) {
                result.append(contentsOf: replacement(scalar).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }
}
