/// How a message is counted (FAQ 11.21): the JSON names `GSM-7`, `UCS-2` and `mainland`.
public enum MessageEncoding: String, Sendable, Hashable, Codable {
    /// International, every character in GSM-7: 160 septets, else 153 per segment.
    case gsm7 = "GSM-7"
    /// International with a character outside GSM-7: 70 units, else 67 per segment.
    case ucs2 = "UCS-2"
    /// Chinese mainland: `【signature】` + content, 70 units, else 67 per segment.
    case mainland

    /// Units that fit a single-segment message.
    public var singleSegmentUnits: Int { self == .gsm7 ? 160 : 70 }
    /// Units that fit each segment of a multi-segment message (the rest carries the UDH).
    public var multiSegmentUnits: Int { self == .gsm7 ? 153 : 67 }
}

/// The length of one message as the platform bills it.
public struct SegmentCount: Sendable, Hashable {
    /// How the message is counted.
    public let encoding: MessageEncoding
    /// GSM-7 septets (extension characters 2), or UTF-16 code units for UCS-2 and mainland.
    public let units: Int
    /// Billed segments, at least 1.
    public let segments: Int

    /// Creates a count; `SegmentCounter` computes them.
    public init(encoding: MessageEncoding, units: Int, segments: Int) {
        self.encoding = encoding
        self.units = units
        self.segments = segments
    }
}

/// Counts segments per FAQ 11.21 and table 11-1 (SPEC §6).
///
/// Decisions where the reference is silent:
/// - A character is never split across two segments: an extension character's escape pair
///   (3GPP TS 23.040) and a UTF-16 surrogate pair stay together, so a segment may carry one unit
///   less than 153 or 67. This is exact for the transport, and never below the FAQ's simple
///   ceil(units / 153) or ceil(units / 67); the two differ only when a pair straddles a boundary
///   (152 basic + 1 extension + 152 basic = 306 septets is 3 segments, not 2).
/// - UCS-2 and mainland count UTF-16 code units: a character outside the Basic Multilingual
///   Plane (an emoji) counts 2. The FAQ says "each Unicode character" for the mainland; counting
///   what UCS-2 transport carries can only over-estimate, never fall below the bill.
/// - Scalars are counted, not user-perceived characters, so CR LF is two units and a combining
///   accent is a unit of its own (and not GSM-7).
public enum SegmentCounter {
    /// The text the recipient gets and that is counted: on the mainland `【signature】` + content
    /// (FAQ 11.21: the length is the template plus the signature and its brackets), elsewhere
    /// the content alone. Without a signature the mainland text is the content alone.
    public static func message(content: String, region: MessageRegion, signature: SignatureName?) -> String {
        guard region == .mainland, let signature else { return content }
        return signature.bracketed + content
    }

    /// Counts `message` (already including any signature) for `region`.
    public static func count(_ message: String, region: MessageRegion) -> SegmentCount {
        if region == .international, let septets = gsmSeptets(message) {
            let segments = septets <= MessageEncoding.gsm7.singleSegmentUnits
                ? 1
                : packedSegments(message, capacity: MessageEncoding.gsm7.multiSegmentUnits) { GSM7Alphabet.septets(for: $0) ?? 2 }
            return SegmentCount(encoding: .gsm7, units: septets, segments: segments)
        }
        let encoding: MessageEncoding = region == .mainland ? .mainland : .ucs2
        let units = message.utf16.count
        let segments = units <= encoding.singleSegmentUnits
            ? 1
            : packedSegments(message, capacity: encoding.multiSegmentUnits) { $0.value > 0xFFFF ? 2 : 1 }
        return SegmentCount(encoding: encoding, units: units, segments: segments)
    }

    /// The message's GSM-7 septets, or nil when a scalar has no GSM-7 code.
    static func gsmSeptets(_ message: String) -> Int? {
        var total = 0
        for scalar in message.unicodeScalars {
            guard let septets = GSM7Alphabet.septets(for: scalar) else { return nil }
            total += septets
        }
        return total
    }

    /// Segments of `capacity` units, filled in order, where a scalar of width 2 that does not fit
    /// the room left starts the next segment.
    static func packedSegments(_ message: String, capacity: Int, width: (Unicode.Scalar) -> Int) -> Int {
        var segments = 1
        var used = 0
        for scalar in message.unicodeScalars {
            let units = width(scalar)
            if used + units > capacity {
                segments += 1
                used = 0
            }
            used += units
        }
        return segments
    }
}
