/// A libphonenumber prefix rule (international prefix, national prefix for parsing) matched
/// at the start of a number with the same backtracking semantics as Python's `re.match`.
///
/// Prefix rules need what an automaton cannot give: the end of the *first* match in
/// backtracking order and the capturing groups (the national-prefix transform rules of
/// Argentina, Brazil and the NANPA islands use them). Inputs are at most 250 digits and the
/// rules have no unbounded repetition, so a small backtracking program is fast enough.
struct DigitPrefixPattern: Sendable {
    /// The most capturing groups a rule may have; libphonenumber's rules use at most two.
    static let maximumCaptureGroups = 4

    private let program: [DigitProgram.Instruction]
    /// The number of capturing groups in the rule.
    let captureCount: Int

    /// Compiles `pattern`.
    init(pattern: String) throws(DigitPatternError) {
        let program = try DigitProgram(pattern: pattern)
        guard program.captureCount <= Self.maximumCaptureGroups else {
            throw DigitPatternError(pattern: pattern, offset: 0, problem: "more than \(Self.maximumCaptureGroups) groups")
        }
        self.program = program.instructions
        self.captureCount = program.captureCount
    }

    /// The first match at the start of `digits`, or nil.
    func matchPrefix(_ digits: UnsafeBufferPointer<UInt8>) -> DigitPrefixMatch? {
        var captures = DigitPrefixMatch.Captures()
        guard let end = run(from: 0, at: 0, digits, &captures) else { return nil }
        return DigitPrefixMatch(end: end, captures: captures)
    }

    /// Backtracking in priority order: a split tries `first`, then `second`.
    private func run(from startPC: Int, at startSP: Int, _ input: UnsafeBufferPointer<UInt8>,
                     _ captures: inout DigitPrefixMatch.Captures) -> Int? {
        var pc = startPC
        var sp = startSP
        while true {
            let instruction = program[pc]
            switch instruction.operation {
            case .digit:
                guard sp < input.count, instruction.mask & (1 << UInt16(input[sp])) != 0 else { return nil }
                pc += 1
                sp += 1
            case .split:
                let saved = captures
                if let end = run(from: Int(instruction.first), at: sp, input, &captures) { return end }
                captures = saved
                pc = Int(instruction.second)
            case .jump:
                pc = Int(instruction.first)
            case .save:
                captures[Int(instruction.first)] = sp
                pc += 1
            case .endOfInput:
                guard sp == input.count else { return nil }
                pc += 1
            case .match:
                return sp
            }
        }
    }
}

/// Where a prefix rule matched and what its groups captured.
struct DigitPrefixMatch: Sendable, Equatable {
    /// Group boundaries packed into one word (8 bits each, 0xFF = unset), so that matching
    /// allocates nothing. Slot 2(n-1) is the start of group n, 2(n-1)+1 its end; positions stay below 255 because
    /// inputs are at most 250 digits.
    struct Captures: Sendable, Equatable {
        private var packed: UInt64 = .max

        subscript(slot: Int) -> Int? {
            get {
                let value = (packed >> UInt64(slot * 8)) & 0xFF
                return value == 0xFF ? nil : Int(value)
            }
            set {
                let shift = UInt64(slot * 8)
                let value = UInt64(newValue ?? 0xFF) & 0xFF
                packed = (packed & ~(0xFF << shift)) | (value << shift)
            }
        }
    }

    /// The number of digits the match covers.
    let end: Int
    let captures: Captures

    /// The range of group `number` (1-based), or nil when the group took no part in the match.
    func group(_ number: Int) -> Range<Int>? {
        guard let start = captures[(number - 1) * 2], let end = captures[(number - 1) * 2 + 1] else { return nil }
        return start..<end
    }
}
