import Foundation
import GroupSMSModel
import GroupSMSStore

/// The terminal text of `template list` and `template show`; template text is shown escaped,
/// since a catalogue may hold text pasted from anywhere.
enum TemplateCatalogueText {
    /// One line per template, or a hint when the catalogue is empty.
    static func list(_ templates: [StoredTemplate]) -> String {
        guard !templates.isEmpty else {
            return "The template catalogue is empty; add one with `groupsms template add ID --text TEXT`.\n"
        }
        return templates.map { stored in
            let template = stored.template
            let count = template.text.variables.count
            var line = "\(template.id)  \(template.kind.rawValue), \(template.region.rawValue), "
                + "\(count) \(count == 1 ? "variable" : "variables")"
            if let signature = template.signature { line += ", signature \(signature.bracketed)" }
            if let name = template.name { line += "  \(UntrustedText.escaped(name))" }
            return line + "\n"
        }.joined()
    }

    /// Labelled lines: id, name, kind, region, signature, text and each variable's rule.
    static func details(_ stored: StoredTemplate) -> String {
        let template = stored.template
        var lines = ["Template    \(template.id)"]
        if let name = template.name { lines.append("Name        \(UntrustedText.escaped(name))") }
        lines.append("Kind        \(template.kind.rawValue)")
        lines.append("Region      \(template.region.rawValue)")
        lines.append("Signature   \(template.signature?.bracketed ?? "(none)")")
        lines.append("Text        \(UntrustedText.escaped(template.text.source))")
        for (index, variable) in template.text.variables.enumerated() {
            lines.append("  \(index + 1). \(variable.placeholder)  \(rule(of: variable))")
        }
        lines.append("Added       \(ISOTimeText.utc(stored.addedAt))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// What a value of `variable` must be, in words.
    static func rule(of variable: TemplateVariable) -> String {
        switch variable.kind {
        case .text(let length): "1 to \(length) characters, no { or }"
        case .number(let digits): "1 to \(digits) digits"
        case .date: "a date, yyyy/MM/dd"
        case .time: "a time, HH:mm or HH:mm:ss"
        }
    }

    /// The refusal for an id the catalogue does not hold.
    static func notFound(_ id: String) -> String {
        "template \(UntrustedText.escaped(id)) is not in the catalogue; `groupsms template list` shows what is"
    }
}

/// `template list --json`: `{"templates":[...]}`.
struct TemplateListJSON: Encodable {
    let templates: [TemplateJSON]
}

/// One catalogue template as JSON (`template show --json`, `template list --json`).
struct TemplateJSON: Encodable {
    let id: String
    let name: String?
    let kind: String
    let region: String
    let signature: String?
    let text: String
    let variables: [Variable]
    let addedAt: String

    /// A variable's placeholder and rule.
    struct Variable: Encodable {
        let placeholder: String
        let rule: String
    }

    init(_ stored: StoredTemplate) {
        let template = stored.template
        id = template.id
        name = template.name
        kind = template.kind.rawValue
        region = template.region.rawValue
        signature = template.signature?.value
        text = template.text.source
        variables = template.text.variables.map {
            Variable(placeholder: $0.placeholder, rule: TemplateCatalogueText.rule(of: $0))
        }
        addedAt = ISOTimeText.utc(stored.addedAt)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(region, forKey: .region)
        try container.encode(signature, forKey: .signature)
        try container.encode(text, forKey: .text)
        try container.encode(variables, forKey: .variables)
        try container.encode(addedAt, forKey: .addedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, kind, region, signature, text, variables, addedAt
    }
}
