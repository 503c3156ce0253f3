extension TemplateText {
    /// Checks `values` against the variables the way the platform will (API reference E200028:
    /// the number of values, then each value's type, length and format), throwing the first misfit.
    /// `templateID` only names the template in the message. A template without variables takes
    /// no values (an empty list).
    public func check(_ values: [String], templateID: String) throws(TemplateError) {
        guard values.count == variables.count else {
            throw .parameterCount(
                templateID: templateID, placeholders: variables.map(\.placeholder), given: values.count)
        }
        for (offset, (variable, value)) in zip(variables, values).enumerated() {
            if let rule = variable.misfit(value) {
                throw .parameterDoesNotFit(
                    position: offset + 1, value: value, placeholder: variable.placeholder, rule: rule)
            }
        }
    }

    /// Checks `values` of a template whose text is not known against what every platform
    /// variable requires: at most 20 values, each 1 to 20 characters without `{` or `}`.
    public static func checkUnknownTemplate(_ values: [String]) throws(TemplateError) {
        guard values.count <= maximumVariables else {
            throw .tooManyParameters(given: values.count, limit: maximumVariables)
        }
        let widest = TemplateVariable(kind: .text(maxLength: TemplateVariable.lengthRange.upperBound), position: 0)
        for (offset, value) in values.enumerated() {
            if let rule = widest.misfit(value) {
                throw .parameterFitsNoVariable(position: offset + 1, value: value, rule: rule)
            }
        }
    }

    /// The message content for `values`, after `check(_:templateID:)`.
    public func render(_ values: [String], templateID: String) throws(TemplateError) -> String {
        try check(values, templateID: templateID)
        return filled { values[$0] }
    }

    /// The content with every variable at its maximum length, for counting a message whose
    /// values are not known (FAQ 11.6: the console counts variables at their maximum length).
    public var worstCaseContent: String {
        let fillers = variables.map(\.worstCaseValue)
        return filled { fillers[$0] }
    }

    /// The text with variable `i` replaced by `value(i)`.
    private func filled(_ value: (Int) -> String) -> String {
        var out = ""
        out.reserveCapacity(source.utf8.count + variables.count * 8)
        var next = 0
        for piece in pieces {
            switch piece {
            case .literal(let text):
                out += text
            case .variable:
                out += value(next)
                next += 1
            }
        }
        return out
    }
}
