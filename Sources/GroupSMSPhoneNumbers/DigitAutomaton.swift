/// A deterministic automaton over the digits 0-9 that matches up to 31 libphonenumber
/// patterns at once, determinised lazily.
///
/// Validity runs several patterns over each number (general description, then premium, toll
/// free ... fixed line, mobile). One automaton over all of a region's patterns answers them in
/// one pass: each state carries the set of patterns that accept there, so a number costs one
/// table lookup per digit. The subset construction over the patterns' `DigitProgram`s runs on
/// demand, one transition at a time, so a process pays only for the states its numbers visit:
/// determinising the whole metadata up front would cost more than importing 50,000 numbers.
/// A state is the set of `digit` instructions the input may have reached, plus the patterns
/// that accept. Input digits are values 0...9, not ASCII.
///
/// The automaton mutates its tables while matching, so it belongs to one
/// `PhoneNumberNormalizer` (one task) at a time.
final class DigitAutomaton {
    /// The patterns, by bit; nil for an absent one (never matches). Compiled on first use.
    let patterns: [String?]
    private var program: [DigitProgram.Instruction] = []
    /// Row `state` holds 11 entries: the next state per digit (or `dead`/`unknown`), then the
    /// mask of patterns accepting in the state. One table keeps matching to one array.
    private var table: [Int32] = []
    /// The instruction set of each state: `setStorage[setStarts[s] ..< setStarts[s + 1]]`, sorted.
    private var setStarts: [Int32] = [0]
    private var setStorage: [Int32] = []
    /// Open-addressing index from an instruction set to its state (state + 1; 0 = empty slot).
    private var setIndex = [Int32](repeating: 0, count: 16)
    /// Scratch for building a state: visited marks per instruction, the set, a DFS stack.
    private var stamps: [UInt32] = []
    private var stamp: UInt32 = 0
    private var targets: [Int32] = []
    private var stack: [Int32] = []
    private var reachedMask: Int32 = 0

    private static let dead: Int32 = -1
    private static let unknown: Int32 = -2
    private static let stride = 11
    /// The most patterns one automaton holds (bits of the accept mask).
    static let maximumPatterns = 31

    /// The number of states built so far; state 0 is the start.
    var stateCount: Int { table.count / Self.stride }

    /// An automaton for `patterns` (bit i = pattern i), compiled when first used.
    init(patterns: [String?]) {
        precondition(patterns.count <= Self.maximumPatterns, "too many patterns for one automaton")
        self.patterns = patterns
    }

    /// An automaton for one pattern.
    convenience init(pattern: String) { self.init(patterns: [pattern]) }

    /// Compiles the patterns now; `$` is not allowed here (it only occurs in prefix rules).
    func compile() throws(DigitPatternError) {
        guard table.isEmpty else { return }
        var combined: [DigitProgram.Instruction] = []
        var starts: [Int] = []
        for (bit, pattern) in patterns.enumerated() {
            guard let pattern else { continue }
            let compiled = try DigitProgram(pattern: pattern)
            guard !compiled.usesEndOfInput else {
                throw DigitPatternError(pattern: pattern, offset: 0, problem: "'$' is only supported in prefix rules")
            }
            let base = Int32(combined.count)
            starts.append(combined.count)
            for var instruction in compiled.instructions {
                instruction.moveTargets(by: base)
                if instruction.operation == .match { instruction.first = Int32(bit) }
                combined.append(instruction)
            }
        }
        program = combined
        stamps = [UInt32](repeating: 0, count: program.count)
        beginSet()
        for start in starts { addClosure(of: start) }
        _ = addState(targets, mask: reachedMask)
    }

    private func compileOnFirstUse() {
        do {
            try compile()
        } catch {
            // The test suite compiles every pattern of the bundled table.
            preconditionFailure("bundled phone pattern does not compile: \(error)")
        }
    }

    /// The patterns that match the whole of `digits` (Python's `fullmatch`), as a bit mask.
    func acceptMask(_ digits: UnsafeBufferPointer<UInt8>) -> UInt32 {
        UInt32(bitPattern: run(digits, stopAtAccept: false))
    }

    /// Whether any pattern matches the whole of `digits`.
    func matchesWhole(_ digits: UnsafeBufferPointer<UInt8>) -> Bool { run(digits, stopAtAccept: false) != 0 }

    /// Whether any pattern matches some prefix of `digits`, possibly empty (`re.match` succeeding).
    func matchesPrefix(_ digits: UnsafeBufferPointer<UInt8>) -> Bool { run(digits, stopAtAccept: true) != 0 }

    private enum Stop {
        case finished(mask: Int32)
        case needsTransition(state: Int, index: Int)
    }

    private func run(_ digits: UnsafeBufferPointer<UInt8>, stopAtAccept: Bool) -> Int32 {
        if table.isEmpty { compileOnFirstUse() }
        var state = 0
        var index = 0
        while true {
            // Walk the built part of the table in one access; leave it to build a transition.
            let stop = table.withUnsafeBufferPointer { rows -> Stop in
                while true {
                    let row = state &* Self.stride
                    let mask = rows[row &+ 10]
                    if stopAtAccept && mask != 0 { return .finished(mask: mask) }
                    if index == digits.count { return .finished(mask: mask) }
                    let next = rows[row &+ Int(digits[index])]
                    if next == Self.dead { return .finished(mask: 0) }
                    if next == Self.unknown { return .needsTransition(state: state, index: index) }
                    state = Int(next)
                    index &+= 1
                }
            }
            switch stop {
            case .finished(let mask):
                return mask
            case .needsTransition(let from, let at):
                let next = buildTransition(from: from, on: Int(digits[at]))
                if next == Self.dead { return 0 }
                state = Int(next)
                index = at + 1
            }
        }
    }

    /// Builds every reachable state (for tests and size statistics).
    func determinizeCompletely() {
        if table.isEmpty { compileOnFirstUse() }
        var state = 0
        while state < stateCount {
            for digit in 0..<10 where table[state * Self.stride + digit] == Self.unknown {
                _ = buildTransition(from: state, on: digit)
            }
            state += 1
        }
    }

    /// The subset construction for one (state, digit) pair.
    private func buildTransition(from state: Int, on digit: Int) -> Int32 {
        beginSet()
        let bit = UInt16(1) << UInt16(digit)
        for setSlot in Int(setStarts[state])..<Int(setStarts[state + 1]) {
            let pc = Int(setStorage[setSlot])
            if program[pc].mask & bit != 0 { addClosure(of: pc + 1) }
        }
        let next: Int32
        if targets.isEmpty && reachedMask == 0 {
            next = Self.dead
        } else {
            targets.sort()
            next = existingState(targets, mask: reachedMask) ?? addState(targets, mask: reachedMask)
        }
        table[state * Self.stride + digit] = next
        return next
    }

    private func beginSet() {
        stamp &+= 1
        if stamp == 0 {  // wrapped: forget every old mark
            for index in stamps.indices { stamps[index] = 0 }
            stamp = 1
        }
        targets.removeAll(keepingCapacity: true)
        reachedMask = 0
    }

    /// Adds the `digit` instructions reachable from `start` without consuming input.
    private func addClosure(of start: Int) {
        stack.append(Int32(start))
        while let pc = stack.popLast().map(Int.init) {
            guard stamps[pc] != stamp else { continue }
            stamps[pc] = stamp
            let instruction = program[pc]
            switch instruction.operation {
            case .digit: targets.append(Int32(pc))
            case .split:
                stack.append(instruction.second)
                stack.append(instruction.first)
            case .jump: stack.append(instruction.first)
            case .save: stack.append(Int32(pc + 1))
            case .match: reachedMask |= 1 << instruction.first
            case .endOfInput: break  // excluded by compile()
            }
        }
    }

    private func hash<Positions: Collection<Int32>>(_ set: Positions, mask: Int32) -> Int {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(UInt32(bitPattern: mask))
        for position in set { value = (value ^ UInt64(UInt32(bitPattern: position))) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: value >> 1)
    }

    private func existingState(_ set: [Int32], mask acceptMask: Int32) -> Int32? {
        let slotMask = setIndex.count - 1
        var slot = hash(set, mask: acceptMask) & slotMask
        while setIndex[slot] != 0 {
            let candidate = Int(setIndex[slot] - 1)
            let start = Int(setStarts[candidate])
            let end = Int(setStarts[candidate + 1])
            if end - start == set.count && table[candidate * Self.stride + 10] == acceptMask
                && setStorage[start..<end].elementsEqual(set) { return Int32(candidate) }
            slot = (slot + 1) & slotMask
        }
        return nil
    }

    private func addState(_ set: [Int32], mask acceptMask: Int32) -> Int32 {
        let id = Int32(stateCount)
        setStorage.append(contentsOf: set)
        setStarts.append(Int32(setStorage.count))
        table.append(contentsOf: repeatElement(Self.unknown, count: 10))
        table.append(acceptMask)
        if (stateCount + 1) * 2 > setIndex.count {
            setIndex = [Int32](repeating: 0, count: setIndex.count * 2)
            for state in 0..<stateCount { insertIntoIndex(state: state) }
        } else {
            insertIntoIndex(state: Int(id))
        }
        return id
    }

    private func insertIntoIndex(state: Int) {
        let set = setStorage[Int(setStarts[state])..<Int(setStarts[state + 1])]
        let slotMask = setIndex.count - 1
        var slot = hash(set, mask: table[state * Self.stride + 10]) & slotMask
        while setIndex[slot] != 0 { slot = (slot + 1) & slotMask }
        setIndex[slot] = Int32(state + 1)
    }
}
