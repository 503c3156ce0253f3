/// Text that arrived from the network (status reports are not authenticated) and could reach the
/// store, log lines and a terminal: control characters in it could forge or hide output.
enum UntrustedText {
    /// The first scalar a report field must not hold: C0 controls (ESC among them, so no escape
    /// sequence), DEL, C1 controls, the Unicode bidirectional formatting characters (which can
    /// reorder what a terminal shows) and the line and paragraph separators.
    static func firstForbiddenScalar(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isForbidden)
    }

    /// `text` with every forbidden scalar written as `\u{XX}`, for log lines.
    static func visible(_ text: String) -> String {
        guard firstForbiddenScalar(in: text) != nil else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
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
