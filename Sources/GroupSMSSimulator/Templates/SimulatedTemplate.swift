import Foundation

/// A template as the simulated platform holds it: its text cut at each `${...}` variable.
///
/// Written apart from the product's parser on purpose (regular expressions here, a scanner
/// there): the two meet only in tests, which is where a misreading of FAQ 5.1 shows up.
public struct SimulatedTemplate: Sendable, Equatable {
    /// The kinds of variable slot (FAQ 5.1).
    public enum Slot: Sendable, Equatable {
        /// `${TXT_n}`
        case txt(Int)
        /// `${NUM_n}`
        case num(Int)
        /// `${DATE}`
        case date
        /// `${TIME}`
        case time
    }

    /// The platform's template id.
    public let id: String
    /// The registered text.
    public let text: String
    /// The variable slots in order.
    public let slots: [Slot]
    /// The text around the slots: `literals.count == slots.count + 1`.
    let literals: [String]

    /// Cuts `text` into literals and slots; throws the reason when the platform would refuse it.
    init(id: String, text: String) throws(SimulatedTextProblem) {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .init("the text is empty") }
        guard text.unicodeScalars.count <= 500 else { throw .init("the text is longer than 500 characters") }
        var literals: [String] = []
        var slots: [Slot] = []
        var rest = text[...]
        for match in text.matches(of: /\$\{([^}]*)\}/) {
            literals.append(String(text[rest.startIndex..<match.range.lowerBound]))
            slots.append(try Self.slot(String(match.output.1)))
            rest = text[match.range.upperBound...]
        }
        guard !rest.contains("${") else { throw .init("a ${ is not closed") }
        guard slots.count <= 20 else { throw .init("more than 20 variables") }
        literals.append(String(rest))
        self.id = id
        self.text = text
        self.slots = slots
        self.literals = literals
    }

    private static func slot(_ name: String) throws(SimulatedTextProblem) -> Slot {
        if name == "DATE" { return .date }
        if name == "TIME" { return .time }
        guard let match = name.wholeMatch(of: /(TXT|NUM)_([1-9][0-9]?)/), let size = Int(match.output.2), size <= 20 else {
            throw .init("${\(name)} is not a variable")
        }
        return match.output.1 == "TXT" ? .txt(size) : .num(size)
    }

    /// The text with each slot replaced by its value, in order.
    func rendered(_ values: [String]) -> String {
        var out = literals[0]
        for (value, literal) in zip(values, literals.dropFirst()) {
            out += value + literal
        }
        return out
    }
}

/// Why a template text cannot be registered.
struct SimulatedTextProblem: Error {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
