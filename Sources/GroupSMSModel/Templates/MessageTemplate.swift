/// A template of the local catalogue: the platform's template id and approved text, with what
/// the job checks need to know about it (`groupsms template add`).
public struct MessageTemplate: Sendable, Hashable {
    /// The longest template id the API carries (`templateId` String(1-32)).
    public static let maximumIDLength = 32

    /// The platform's template id.
    public let id: String
    /// The approved text, parsed.
    public let text: TemplateText
    /// The template type.
    public let kind: TemplateKind
    /// Where the template's messages go.
    public let region: MessageRegion
    /// The signature the template is used with on the mainland, if any.
    public let signature: SignatureName?
    /// A name for people, if given.
    public let name: String?

    /// Validates the id and parses `text`; throws the first rule broken.
    public init(
        id: String, text: String, kind: TemplateKind, region: MessageRegion,
        signature: SignatureName? = nil, name: String? = nil
    ) throws(TemplateError) {
        guard Self.isUsableID(id) else { throw .invalidTemplateID(id) }
        self.id = id
        self.text = try TemplateText(text)
        self.kind = kind
        self.region = region
        self.signature = signature
        self.name = name
    }

    /// The signature a send to `region` carries: the job's own, else the template's.
    /// Throws `signatureRequired` when a notification or promotion template goes to Chinese
    /// mainland numbers without one (FAQ 12.1).
    public func signature(sendingTo region: MessageRegion, jobSignature: SignatureName?) throws(TemplateError)
        -> SignatureName?
    {
        let chosen = jobSignature ?? signature
        if region == .mainland, chosen == nil, kind.needsSignatureForMainland {
            throw .signatureRequired(templateID: id, kind: kind)
        }
        return chosen
    }

    /// 1 to 32 characters, none of them white space or a control character.
    private static func isUsableID(_ id: String) -> Bool {
        (1...maximumIDLength).contains(id.count) && !id.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control
        }
    }

    /// Checks `values` against the template's variables (see `TemplateText.check`).
    public func check(_ values: [String]) throws(TemplateError) {
        try text.check(values, templateID: id)
    }

    /// The content for `values`, after checking them.
    public func render(_ values: [String]) throws(TemplateError) -> String {
        try text.render(values, templateID: id)
    }
}
