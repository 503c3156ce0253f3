/// A template's text, parsed into literal runs and `${...}` variables (FAQ 5.1).
///
/// Parsing refuses what the platform would not have approved: an unclosed `${`, an unknown
/// `${...}`, a `TXT_n`/`NUM_n` length outside 1...20, more than 20 variables, an empty text, or
/// more than 500 characters. Only `${` opens a placeholder; a lone `$`, `{` or `}` is literal text.
public struct TemplateText: Sendable, Hashable {
    /// A part of the text: literal characters, or a variable the parameters fill.
    public enum Piece: Sendable, Hashable {
        /// Text sent as written.
        case literal(String)
        /// A placeholder, replaced by its parameter.
        case variable(TemplateVariable)
    }

    /// The most variables a template holds (FAQ 5.1).
    public static let maximumVariables = 20
    /// The longest template text, in Unicode scalars (FAQ 5.1, FAQ 11.21 "at most 500 characters").
    public static let maximumLength = 500

    /// The text as given.
    public let source: String
    /// The text in order, literals and variables.
    public let pieces: [Piece]
    /// The variables in order; parameter i fills variable i.
    public let variables: [TemplateVariable]

    /// Parses `source`, refusing a text that breaks the platform's template rules.
    public init(_ source: String) throws(TemplateError) {
        let length = source.unicodeScalars.count
        guard source.contains(where: { !$0.isWhitespace }) else { throw .emptyTemplate }
        guard length <= Self.maximumLength else {
            throw .templateTooLong(characters: length, limit: Self.maximumLength)
        }
        var parser = TemplateParser(scalars: Array(source.unicodeScalars))
        self.source = source
        self.pieces = try parser.run()
        self.variables = pieces.compactMap { piece in
            if case .variable(let variable) = piece { variable } else { nil }
        }
    }
}

/// A single left-to-right scan over the text's Unicode scalars.
private struct TemplateParser {
    let scalars: [Unicode.Scalar]
    private var index = 0
    private var literal = String.UnicodeScalarView()
    private var pieces: [TemplateText.Piece] = []
    private var variableCount = 0

    init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    mutating func run() throws(TemplateError) -> [TemplateText.Piece] {
        while index < scalars.count {
            if scalars[index] == "$", index + 1 < scalars.count, scalars[index + 1] == "{" {
                try readPlaceholder()
            } else {
                literal.append(scalars[index])
                index += 1
            }
        }
        flushLiteral()
        return pieces
    }

    /// Reads `${NAME}` at `index`. A `{` or line break before the closing `}` means the `${` was
    /// never closed: the `}` found belongs to something later.
    private mutating func readPlaceholder() throws(TemplateError) {
        let start = index
        let position = start + 1
        let nameStart = start + 2
        let close = scalars[nameStart...].firstIndex(of: "}")
        let stop = scalars[nameStart..<(close ?? scalars.count)].firstIndex { $0 == "{" || $0 == "\n" || $0 == "\r" }
        guard let close, stop == nil else {
            // Cut the quoted fragment before the next `${`, where the reader's eye goes next.
            let cut = stop.map { $0 > nameStart && scalars[$0 - 1] == "$" ? $0 - 1 : $0 } ?? scalars.count
            let end = min(scalars.count, start + 12, cut)
            throw .unclosedPlaceholder(fragment: Self.text(scalars[start..<end]), position: position)
        }
        let name = Self.text(scalars[nameStart..<close])
        let kind = try Self.kind(named: name, position: position)
        variableCount += 1
        let variable = TemplateVariable(kind: kind, position: position)
        guard variableCount <= TemplateText.maximumVariables else {
            throw .tooManyVariables(
                placeholder: variable.placeholder, position: position, limit: TemplateText.maximumVariables)
        }
        flushLiteral()
        pieces.append(.variable(variable))
        index = close + 1
    }

    /// The variable kind `NAME` stands for: `TXT_n`, `NUM_n`, `DATE` or `TIME`, upper case, with
    /// n 1...20 and no leading zero (the form the platform documents).
    private static func kind(named name: String, position: Int) throws(TemplateError) -> TemplateVariableKind {
        let placeholder = "${\(name)}"
        switch name {
        case "DATE": return .date
        case "TIME": return .time
        default: break
        }
        guard name.hasPrefix("TXT_") || name.hasPrefix("NUM_") else {
            throw .unknownPlaceholder(placeholder: placeholder, position: position)
        }
        let digits = name.utf8.dropFirst(4)
        guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .unknownPlaceholder(placeholder: placeholder, position: position)
        }
        guard digits.first != 0x30, let length = Int(String(name.dropFirst(4))),
              TemplateVariable.lengthRange.contains(length)
        else { throw .variableLengthOutOfRange(placeholder: placeholder, position: position) }
        return name.hasPrefix("TXT_") ? .text(maxLength: length) : .number(maxDigits: length)
    }

    private mutating func flushLiteral() {
        guard !literal.isEmpty else { return }
        pieces.append(.literal(String(literal)))
        literal = String.UnicodeScalarView()
    }

    private static func text(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: slice)
        return String(view)
    }
}
