/// A libphonenumber regular expression compiled into a small program over digits.
///
/// libphonenumber's metadata uses a small regular-expression subset: digits, `\d`, classes
/// with ranges, `(?:...)` and capturing groups, `|`, `?`, `{n}`, `{n,m}` and, in a few
/// national-prefix rules, `$`. One pass over the pattern emits a Thompson-style program
/// (no syntax tree, few allocations) that two engines run: `DigitAutomaton` determinises it
/// lazily for full and prefix matches, `DigitPrefixPattern` backtracks over it where the first
/// match and its groups matter. Both take tens of nanoseconds where `Regex` takes tens of
/// microseconds.
struct DigitProgram: Sendable {
    enum Operation: UInt8, Sendable {
        /// Consume one digit in `mask`, continue at the next instruction.
        case digit
        /// Continue at `first`, and (on failure, or in parallel) at `second`.
        case split
        /// Continue at `first`.
        case jump
        /// Record the input position in capture slot `first`.
        case save
        /// Succeed only at the end of the input (`$`).
        case endOfInput
        /// The pattern matched.
        case match
    }

    struct Instruction: Sendable {
        var operation: Operation
        var mask: UInt16 = 0
        var first: Int32 = 0
        var second: Int32 = 0

        /// Shifts the instruction's targets (splits and jumps) by `delta`.
        mutating func moveTargets(by delta: Int32) {
            switch operation {
            case .split:
                first += delta
                second += delta
            case .jump:
                first += delta
            case .digit, .save, .endOfInput, .match:
                break
            }
        }
    }

    let instructions: [Instruction]
    /// The number of capturing groups.
    let captureCount: Int
    /// Whether the pattern uses `$`.
    let usesEndOfInput: Bool

    /// Compiles `pattern`.
    init(pattern: String) throws(DigitPatternError) {
        var compiler = DigitProgramCompiler(pattern: pattern)
        try compiler.compile()
        instructions = compiler.code
        captureCount = compiler.captureCount
        usesEndOfInput = compiler.usesEndOfInput
    }
}

/// A pattern outside the supported subset (a metadata generator or table error).
struct DigitPatternError: Error, Equatable, CustomStringConvertible {
    let pattern: String
    let offset: Int
    let problem: String
    var description: String { "unsupported phone pattern \"\(pattern)\" at offset \(offset): \(problem)" }
}

/// The one-pass compiler behind `DigitProgram`.
private struct DigitProgramCompiler {
    typealias Instruction = DigitProgram.Instruction

    let source: String
    let bytes: [UInt8]
    var position = 0
    var code: [Instruction] = []
    var captureCount = 0
    var usesEndOfInput = false
    /// Jumps to the end of the innermost open choice, waiting for their target.
    private var pendingJumps: [Int] = []
    /// Scratch for repeating an atom's code.
    private var atomCode: [Instruction] = []

    init(pattern: String) {
        source = pattern
        bytes = Array(pattern.utf8)
        code.reserveCapacity(bytes.count * 2)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func failure(_ problem: String) -> DigitPatternError {
        DigitPatternError(pattern: source, offset: position, problem: problem)
    }

    mutating func compile() throws(DigitPatternError) {
        try compileChoice()
        guard position == bytes.count else { throw failure("unexpected ')'") }
        code.append(Instruction(operation: .match))
    }

    /// Alternatives up to the closing ')' or the end: split to each but the last, jump to the end after each.
    private mutating func compileChoice() throws(DigitPatternError) {
        let mark = pendingJumps.count
        while true {
            let hasMore = alternativeEndsWithBar()
            let split = code.count
            if hasMore { code.append(Instruction(operation: .split)) }
            try compileSequence()
            guard hasMore else { break }
            pendingJumps.append(code.count)
            code.append(Instruction(operation: .jump))
            code[split].first = Int32(split + 1)
            code[split].second = Int32(code.count)
            position += 1  // '|'
        }
        for jump in pendingJumps[mark...] { code[jump].first = Int32(code.count) }
        pendingJumps.removeSubrange(mark...)
    }

    /// Whether the alternative starting here is followed by '|' at the same nesting level.
    private func alternativeEndsWithBar() -> Bool {
        var depth = 0
        var index = position
        var inClass = false
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 1
            case UInt8(ascii: "["): inClass = true
            case UInt8(ascii: "]"): inClass = false
            case UInt8(ascii: "(") where !inClass: depth += 1
            case UInt8(ascii: ")") where !inClass:
                if depth == 0 { return false }
                depth -= 1
            case UInt8(ascii: "|") where !inClass && depth == 0: return true
            default: break
            }
            index += 1
        }
        return false
    }

    private mutating func compileSequence() throws(DigitPatternError) {
        while let byte = current, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
            let atomStart = code.count
            try compileAtom()
            while let (min, max) = try parseQuantifier() { repeatAtom(from: atomStart, min: min, max: max) }
        }
    }

    /// Replaces the atom's code with `min` copies and `max - min` nested optional copies,
    /// (x(x(x)?)?)?, so that backtracking gives up the last copy first, as Python's greedy
    /// {n,m} does.
    private mutating func repeatAtom(from start: Int, min: Int, max: Int) {
        atomCode.removeAll(keepingCapacity: true)
        atomCode.append(contentsOf: code[start...])
        code.removeSubrange(start...)
        // Targets inside the atom lie in start...end; make them relative to the atom.
        for index in atomCode.indices { atomCode[index].moveTargets(by: -Int32(start)) }
        for _ in 0..<min { appendAtomCopy() }
        let mark = pendingJumps.count
        for _ in min..<max {
            pendingJumps.append(code.count)
            code.append(Instruction(operation: .split, first: Int32(code.count + 1)))
            appendAtomCopy()
        }
        for split in pendingJumps[mark...] { code[split].second = Int32(code.count) }
        pendingJumps.removeSubrange(mark...)
    }

    /// Appends a copy of the atom's code with its relative targets moved to the new place.
    private mutating func appendAtomCopy() {
        let base = Int32(code.count)
        for var instruction in atomCode {
            instruction.moveTargets(by: base)
            code.append(instruction)
        }
    }

    private mutating func compileAtom() throws(DigitPatternError) {
        guard let byte = current else { throw failure("pattern ends early") }
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            position += 1
            code.append(Instruction(operation: .digit, mask: 1 << UInt16(byte - UInt8(ascii: "0"))))
        case UInt8(ascii: "\\"):
            position += 1
            guard current == UInt8(ascii: "d") else { throw failure("only \\d is supported after a backslash") }
            position += 1
            code.append(Instruction(operation: .digit, mask: 0x3FF))
        case UInt8(ascii: "["):
            code.append(Instruction(operation: .digit, mask: try parseClass()))
        case UInt8(ascii: "$"):
            position += 1
            usesEndOfInput = true
            code.append(Instruction(operation: .endOfInput))
        case UInt8(ascii: "("):
            position += 1
            var slot: Int32?
            if current == UInt8(ascii: "?") {
                position += 1
                guard current == UInt8(ascii: ":") else { throw failure("only (?: groups are supported") }
                position += 1
            } else {
                captureCount += 1
                slot = Int32((captureCount - 1) * 2)
            }
            if let slot { code.append(Instruction(operation: .save, first: slot)) }
            try compileChoice()
            guard current == UInt8(ascii: ")") else { throw failure("missing ')'") }
            position += 1
            if let slot { code.append(Instruction(operation: .save, first: slot + 1)) }
        default:
            throw failure("unsupported character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func parseClass() throws(DigitPatternError) -> UInt16 {
        position += 1  // '['
        var mask: UInt16 = 0
        let negated = current == UInt8(ascii: "^")
        if negated { position += 1 }
        while let byte = current, byte != UInt8(ascii: "]") {
            if byte == UInt8(ascii: "\\") {
                position += 1
                guard current == UInt8(ascii: "d") else { throw failure("only \\d is supported in a class") }
                position += 1
                mask |= 0x3FF
                continue
            }
            guard let low = digitValue(byte) else { throw failure("non-digit in a class") }
            position += 1
            var high = low
            if current == UInt8(ascii: "-"), position + 1 < bytes.count, let end = digitValue(bytes[position + 1]) {
                position += 2
                high = end
            }
            guard low <= high else { throw failure("reversed range in a class") }
            for digit in low...high { mask |= 1 << UInt16(digit) }
        }
        guard current == UInt8(ascii: "]") else { throw failure("missing ']'") }
        position += 1
        return negated ? ~mask & 0x3FF : mask
    }

    private mutating func parseQuantifier() throws(DigitPatternError) -> (Int, Int)? {
        switch current {
        case UInt8(ascii: "?"):
            position += 1
            return (0, 1)
        case UInt8(ascii: "{"):
            position += 1
            let low = try parseCount()
            var high = low
            if current == UInt8(ascii: ",") {
                position += 1
                high = try parseCount()
            }
            guard current == UInt8(ascii: "}") else { throw failure("missing '}'") }
            position += 1
            guard low <= high else { throw failure("reversed repetition bounds") }
            return (low, high)
        default:
            return nil
        }
    }

    private mutating func parseCount() throws(DigitPatternError) -> Int {
        var value = 0
        var digits = 0
        while let byte = current, let digit = digitValue(byte) {
            value = value * 10 + digit
            digits += 1
            position += 1
            guard value <= 64 else { throw failure("repetition count above 64") }
        }
        guard digits > 0 else { throw failure("missing repetition count") }
        return value
    }

    private func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
