/// Why a template, its parameters or its signature were refused, before anything is sent.
///
/// Positions are 1-based: a placeholder's position counts Unicode scalars of the template text up
/// to its `$`; a parameter's position is its place in the parameter list.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template text is empty or white space only.
    case emptyTemplate
    /// The template text is longer than the platform's 500 characters (FAQ 5.1, FAQ 11.21).
    case templateTooLong(characters: Int, limit: Int)
    /// A `${` without its closing `}`; `fragment` is the text from the `$` on (shortened).
    case unclosedPlaceholder(fragment: String, position: Int)
    /// `${...}` names no variable the platform knows (`TXT_n`, `NUM_n`, `DATE`, `TIME`).
    case unknownPlaceholder(placeholder: String, position: Int)
    /// `${TXT_n}` or `${NUM_n}` with n outside 1...20 (or written with a leading zero).
    case variableLengthOutOfRange(placeholder: String, position: Int)
    /// The placeholder at `position` is variable number `count`, past the platform's limit.
    case tooManyVariables(placeholder: String, position: Int, limit: Int)
    /// A template id the API cannot carry (`templateId` is String(1-32)).
    case invalidTemplateID(String)
    /// The number of parameters differs from the template's variables.
    case parameterCount(templateID: String, placeholders: [String], given: Int)
    /// Parameter `position` (1-based) does not satisfy `rule` of `placeholder`.
    case parameterDoesNotFit(position: Int, value: String, placeholder: String, rule: ParameterRule)
    /// A send to Chinese mainland numbers with a notification or promotion template names no
    /// signature (FAQ 12.1: a mainland SMS without a signature is a violation).
    case signatureRequired(templateID: String, kind: TemplateKind)
    /// A signature name breaks the platform's naming rules (FAQ 4.1, FAQ 11.2).
    case invalidSignature(name: String, rule: SignatureRule)
    /// A template not in the catalogue got more parameters than any template holds.
    case tooManyParameters(given: Int, limit: Int)
    /// Parameter `position` of a template not in the catalogue breaks `rule`, which every
    /// platform variable shares (at most 20 characters, not empty, no braces).
    case parameterFitsNoVariable(position: Int, value: String, rule: ParameterRule)
    /// A `--kind` value that is not verification, notification or promotion.
    case unknownKind(String)
    /// A `--region` value that is not mainland or international.
    case unknownRegion(String)

    /// A short stable name of the rule that refused, for scripts and logs.
    public var rule: String {
        switch self {
        case .emptyTemplate: "empty-template"
        case .templateTooLong: "template-too-long"
        case .unclosedPlaceholder: "unclosed-placeholder"
        case .unknownPlaceholder: "unknown-placeholder"
        case .variableLengthOutOfRange: "variable-length-out-of-range"
        case .tooManyVariables: "too-many-variables"
        case .invalidTemplateID: "invalid-template-id"
        case .parameterCount: "parameter-count"
        case .parameterDoesNotFit: "parameter-does-not-fit"
        case .signatureRequired: "signature-required"
        case .invalidSignature: "invalid-signature"
        case .tooManyParameters: "too-many-parameters"
        case .parameterFitsNoVariable: "parameter-does-not-fit"
        case .unknownKind: "unknown-template-kind"
        case .unknownRegion: "unknown-template-region"
        }
    }

    /// A message the user can act on: what was refused, where, and what to write instead.
    public var description: String {
        switch self {
        case .emptyTemplate:
            "template text is empty; give the text exactly as the platform approved it"
        case .templateTooLong(let characters, let limit):
            "template text has \(characters) characters; the platform allows at most \(limit) (FAQ 5.1)"
        case .unclosedPlaceholder(let fragment, let position):
            "template text: \(Self.quoted(fragment)) at character \(position) is not closed with }; write variables as \(Self.forms)"
        case .unknownPlaceholder(let placeholder, let position):
            "template text: \(placeholder) at character \(position) is not a platform variable; use \(Self.forms)"
        case .variableLengthOutOfRange(let placeholder, let position):
            "template text: \(placeholder) at character \(position) has a length outside 1 to 20; write n as 1 to 20 without leading zeros"
        case .tooManyVariables(let placeholder, let position, let limit):
            "template text: \(placeholder) at character \(position) is variable \(limit + 1); a template holds at most \(limit) variables (FAQ 5.1)"
        case .invalidTemplateID(let id):
            "template id \(Self.quoted(id)) is not usable: the platform's template ids are 1 to 32 characters without spaces"
        case .parameterCount(let id, let placeholders, let given):
            Self.countDescription(templateID: id, placeholders: placeholders, given: given)
        case .parameterDoesNotFit(let position, let value, let placeholder, let rule):
            "parameter \(position) \(Self.quoted(value)) does not fit \(placeholder): \(rule)"
        case .signatureRequired(let id, let kind):
            "template \(id) is a \(kind.rawValue) template and the job sends to Chinese mainland numbers, which needs a signature (FAQ 12.1); give --signature NAME or add the template with --signature NAME"
        case .invalidSignature(let name, let rule):
            "signature \(Self.quoted(name)) cannot be used: \(rule)"
        case .tooManyParameters(let given, let limit):
            "\(given) parameters were given; a template holds at most \(limit) variables (FAQ 5.1)"
        case .parameterFitsNoVariable(let position, let value, let rule):
            "parameter \(position) \(Self.quoted(value)) fits no template variable: \(rule)"
        case .unknownKind(let value):
            "unknown template kind \(Self.quoted(value)); use verification, notification or promotion"
        case .unknownRegion(let value):
            "unknown template region \(Self.quoted(value)); use mainland or international"
        }
    }

    /// The variable forms the platform knows, for messages that ask for a correct placeholder.
    private static let forms = "${TXT_n} or ${NUM_n} (n 1 to 20), ${DATE} or ${TIME}"

    private static func countDescription(templateID: String, placeholders: [String], given: Int) -> String {
        let parameters = given == 1 ? "1 parameter was given" : "\(given) parameters were given"
        guard !placeholders.isEmpty else {
            return "template \(templateID) has no variables but \(parameters); send it without parameters"
        }
        let variables = placeholders.count == 1 ? "1 variable" : "\(placeholders.count) variables"
        return "template \(templateID) has \(variables) (\(placeholders.joined(separator: ", "))) but \(parameters)"
    }

    /// `value` in double quotes, with `"`, `\` and line breaks escaped so the quote stays on one line.
    static func quoted(_ value: String) -> String { QuotedText.message(value) }
}
