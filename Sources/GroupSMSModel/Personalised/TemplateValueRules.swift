/// The checks each recipient's own values get (SPEC §7): the same rules as `--param`.
///
/// With a catalogue template every value is checked against its variable (type, length,
/// format, never empty, no braces: `TemplateVariable.misfit`). Without one the variables are
/// not known, so only the rules that hold for every variable apply: a value is never empty and
/// never holds `{` or `}` (FAQ 5.1); the platform checks the rest (E200028).
public struct TemplateValueRules: Sendable {
    /// The catalogue template's variables, or nil when the template is not in the catalogue.
    public let variables: [TemplateVariable]?
    /// How many values each recipient gives.
    public let arity: Int

    /// Rules for `template`'s variables.
    public init(template: TemplateText) {
        variables = template.variables
        arity = template.variables.count
    }

    /// Rules for `arity` values of a template that is not in the catalogue.
    public init(uncheckedArity arity: Int) {
        precondition((0...TemplateText.maximumVariables).contains(arity), "a template has 0 to 20 variables")
        variables = nil
        self.arity = arity
    }

    /// The variable value `index` (0-based) fills, when known.
    public func variable(_ index: Int) -> TemplateVariable? {
        variables?[index]
    }

    /// Whether the UTF-8 `value` certainly fits variable `index` (0-based): a quick check on the
    /// bytes for the common cases (text within its length, digits within theirs, any value of an
    /// unchecked template without braces). False means "not sure": ask `misfit`, which decides.
    public func surelyFits(utf8 value: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard !value.isEmpty else { return false }
        switch variables?[index].kind {
        case .text(let length)?:
            // Unicode scalars are the bytes that do not continue a UTF-8 sequence.
            var scalars = 0
            for byte in value {
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") { return false }
                if byte & 0xC0 != 0x80 { scalars += 1 }
            }
            return scalars <= length
        case .number(let digits)?:
            return value.count <= digits && value.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        case .date?, .time?:
            return false
        case nil:
            return !value.contains { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }
        }
    }

    /// Why `value`, given for variable `index` (0-based), cannot be sent; nil when it fits.
    public func misfit(_ value: String, at index: Int) -> TemplateValueMisfit? {
        if let variable = variables?[index] {
            return variable.misfit(value).map {
                TemplateValueMisfit(position: index + 1, value: value, placeholder: variable.placeholder, rule: $0)
            }
        }
        let rule: ParameterRule? = if value.isEmpty {
            .notEmpty
        } else if value.utf8.contains(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }) {
            .noBraces
        } else {
            nil
        }
        return rule.map { TemplateValueMisfit(position: index + 1, value: value, placeholder: nil, rule: $0) }
    }
}

/// A recipient's value that does not fit: which variable, the value and the rule it breaks.
public struct TemplateValueMisfit: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based position of the variable (the value's column: 1 is column B).
    public let position: Int
    /// The value as it would have been sent.
    public let value: String
    /// The variable's placeholder, e.g. `${NUM_6}`; nil when the template is not in the catalogue.
    public let placeholder: String?
    /// The rule broken.
    public let rule: ParameterRule

    /// Creates a misfit.
    public init(position: Int, value: String, placeholder: String?, rule: ParameterRule) {
        self.position = position
        self.value = value
        self.placeholder = placeholder
        self.rule = rule
    }

    /// The same words as a `--param` refusal, e.g. `parameter 2 "1234567" does not fit ${NUM_6}:
    /// at most 6 digits`; without a known variable, `parameter 2 "" cannot be sent: must not be empty`.
    public var description: String {
        guard let placeholder else {
            return "parameter \(position) \(TemplateError.quoted(value)) cannot be sent: \(rule)"
        }
        return TemplateError.parameterDoesNotFit(position: position, value: value, placeholder: placeholder, rule: rule)
            .description
    }
}
