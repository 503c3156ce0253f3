/// The simulated platform's approved templates, by id, and its check of a request's
/// `templateId` and `templateParas`.
///
/// Entries are `ID=TEXT`: from the command line (one per `--template` option) or from a file, one
/// per line, with blank lines and `#` comment lines skipped. The text is everything after the
/// first `=`, kept as written; lines end with LF, CR LF or CR.
public struct SimulatedTemplateRegistry: Sendable {
    private var templates: [String: SimulatedTemplate] = [:]

    /// An empty registry: every template id is unknown.
    public init() {}

    /// A registry of `options` (`ID=TEXT` each) and then the lines of `fileContents`.
    public init(options: [String], fileContents: String? = nil, fileName: String = "templates") throws(SimulatedTemplateError) {
        for (index, option) in options.enumerated() {
            try register(entry: option, origin: "--template #\(index + 1)")
        }
        if let fileContents { try load(fileContents, fileName: fileName) }
    }

    /// Registers every entry line of `contents`; `fileName` names the file in errors.
    public mutating func load(_ contents: String, fileName: String) throws(SimulatedTemplateError) {
        // Split on any line break: in Swift a CR LF pair is one Character, not a CR before "\n".
        for (index, line) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let firstVisible = line.first { $0 != " " && $0 != "\t" }
            guard let firstVisible, firstVisible != "#" else { continue }
            try register(entry: String(line), origin: "\(fileName) line \(index + 1)")
        }
    }

    /// Registers one `ID=TEXT` entry; `origin` names it in errors.
    public mutating func register(entry: String, origin: String) throws(SimulatedTemplateError) {
        guard let equals = entry.firstIndex(of: "=") else { throw .missingSeparator(origin: origin) }
        let id = String(entry[..<equals]).trimmingSpaces()
        guard !id.isEmpty, id.count <= 32, !id.contains(where: \.isWhitespace) else {
            throw .invalidID(origin: origin, id: id)
        }
        guard templates[id] == nil else { throw .duplicateID(origin: origin, id: id) }
        do {
            templates[id] = try SimulatedTemplate(id: id, text: String(entry[entry.index(after: equals)...]))
        } catch {
            throw .invalidText(origin: origin, id: id, reason: error.reason)
        }
    }

    /// The template registered as `id`, if any.
    public func template(id: String) -> SimulatedTemplate? {
        templates[id]
    }

    /// The registered ids, sorted.
    public var ids: [String] { templates.keys.sorted() }

    /// Checks a request's template the way the platform answers it (API reference, "API Error
    /// Codes"): an unknown id is E200030 "The template is not activated" (its advice: check
    /// templateId); a brace in a value is E000503 "The parameter format is incorrect" (the
    /// template variable contains special characters), which fails the whole request; a wrong
    /// number of values, or a value of the wrong type, length or format, is E200028 "The
    /// template variable verification failed". A template without variables takes no values;
    /// an absent or empty `templateParas` is the same.
    public func verify(templateID: String, parameters: [String]?) -> SimulatedTemplateVerdict {
        guard let template = templates[templateID] else {
            return .refused(code: "E200030", detail: "template \(templateID) is not registered")
        }
        let values = parameters ?? []
        if let braced = values.firstIndex(where: { $0.contains("{") || $0.contains("}") }) {
            return .refused(code: "E000503", detail: "value \(braced + 1) contains a brace")
        }
        guard values.count == template.slots.count else {
            return .refused(code: "E200028", detail: "\(template.slots.count) variables, \(values.count) values")
        }
        for (index, (slot, value)) in zip(template.slots, values).enumerated() where !SimulatedValueRules.accepts(value, in: slot) {
            return .refused(code: "E200028", detail: "value \(index + 1) does not fit \(slot)")
        }
        return .accepted(text: template.rendered(values))
    }
}

/// The platform's answer for one request's template: accepted with the content it sends, or a
/// code from the API reference.
public struct SimulatedTemplateVerdict: Sendable, Equatable {
    /// `000000`, or the refusal's code (E200028, E200030, E000503).
    public let code: String
    /// The reference's description of `code`, with the simulator's detail.
    public let description: String
    /// The content that would be sent, when accepted.
    public let text: String?

    /// Whether the template and values were accepted.
    public var isAccepted: Bool { code == "000000" }
    /// Whether the code fails the whole request (`E000...` result codes) rather than each number
    /// (`E200...` statuses in `result`).
    public var failsRequest: Bool { code.hasPrefix("E000") }

    static func accepted(text: String) -> Self {
        Self(code: "000000", description: "Success", text: text)
    }

    static func refused(code: String, detail: String) -> Self {
        let meaning = [
            "E200028": "The template variable verification failed.",
            "E200030": "The template is not activated.",
            "E000503": "The parameter format is incorrect.",
        ][code] ?? "Error."
        return Self(code: code, description: "\(meaning) (\(detail))", text: nil)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
