/// The platform's template types (FAQ 5.1 "Specifications for Each Template Type").
public enum TemplateKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Verification code templates: one `${NUM_n}` code of at most 6 digits.
    case verification
    /// Notification templates: no marketing content.
    case notification
    /// Promotion (marketing) templates.
    case promotion

    /// Reads a `--kind` value (case-insensitive).
    public init(argument: String) throws(TemplateError) {
        guard let kind = Self(rawValue: argument.lowercased()) else { throw .unknownKind(argument) }
        self = kind
    }

    /// Whether a send of this kind to Chinese mainland numbers must carry a signature.
    /// FAQ 12.1 counts a mainland SMS without a signature as a violation; SPEC §6 applies the
    /// refusal to notification and promotion templates (verification templates are bound to
    /// their signature on the platform).
    public var needsSignatureForMainland: Bool { self != .verification }
}

/// Where a template's messages go, which decides how they are counted (FAQ 11.21).
public enum MessageRegion: String, Sendable, Hashable, Codable, CaseIterable {
    /// Chinese mainland numbers (+86): `【signature】` + content, every character one unit.
    case mainland
    /// Every other number: GSM-7 when possible, else UCS-2.
    case international

    /// Reads a `--region` value (case-insensitive).
    public init(argument: String) throws(TemplateError) {
        guard let region = Self(rawValue: argument.lowercased()) else { throw .unknownRegion(argument) }
        self = region
    }

    /// The counting region of a number's ISO region code: `CN` is the mainland; Hong Kong, Macao
    /// and Taiwan (`HK`, `MO`, `TW`) are international for the platform.
    public init(regionCode: String) {
        self = regionCode.uppercased() == "CN" ? .mainland : .international
    }
}
