import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSPhoneNumbers

/// The regular-expression subset engines: hand-written cases, then every pattern of the
/// bundled metadata against ICU's `NSRegularExpression` (backtracking like Python's `re`).
@Suite struct DigitPatternTests {
    @Test(arguments: [
        ("1[3-9]\\d{9}", "13112345678", true),
        ("1[3-9]\\d{9}", "12112345678", false),
        ("1[3-9]\\d{9}", "1311234567", false),
        ("(?:10|2\\d)\\d{8}", "1012345678", true),
        ("(?:10|2\\d)\\d{8}", "3012345678", false),
        ("[2-9]\\d{6,7}", "2345678", true),
        ("[2-9]\\d{6,7}", "23456789", true),
        ("[2-9]\\d{6,7}", "234567890", false),
        ("8(?:00|33)?\\d{3}", "8123", true),
        ("8(?:00|33)?\\d{3}", "800123", true),
        ("8(?:00|33)?\\d{3}", "80123", false),
        ("[^0]\\d", "10", true),
        ("[^0]\\d", "01", false),
        ("\\d(?:\\d(?:\\d{2})?)?", "1", true),
        ("\\d(?:\\d(?:\\d{2})?)?", "123", false),
        ("\\d(?:\\d(?:\\d{2})?)?", "1234", true),
        ("", "", true),
        ("", "1", false),
    ])
    func automatonMatchesWholeInput(pattern: String, input: String, expected: Bool) throws {
        let automaton = DigitAutomaton(pattern: pattern)
        try automaton.compile()
        #expect(Self.withDigits(input) { automaton.matchesWhole($0) } == expected)
    }

    @Test func automatonAnswersSeveralPatternsInOneRun() throws {
        let automaton = DigitAutomaton(patterns: ["\\d{4}", nil, "1\\d{3}", "2\\d{3}"])
        try automaton.compile()
        #expect(Self.withDigits("1234") { automaton.acceptMask($0) } == 0b0101)
        #expect(Self.withDigits("2234") { automaton.acceptMask($0) } == 0b1001)
        #expect(Self.withDigits("3234") { automaton.acceptMask($0) } == 0b0001)
        #expect(Self.withDigits("123") { automaton.acceptMask($0) } == 0)
    }

    @Test func automatonPrefixMatchAcceptsAnyMatchingPrefix() throws {
        let automaton = DigitAutomaton(pattern: "268|4(?:41|73)")
        try automaton.compile()
        #expect(Self.withDigits("2684601234") { automaton.matchesPrefix($0) })
        #expect(Self.withDigits("4731234567") { automaton.matchesPrefix($0) })
        #expect(!Self.withDigits("4721234567") { automaton.matchesPrefix($0) })
        #expect(!Self.withDigits("26") { automaton.matchesPrefix($0) })
    }

    @Test(arguments: ["1[2", "1{2", "(?=1)", "1*", "a", "\\w", "1{3,2}", "(1", "1)", "$"])
    func unsupportedSyntaxIsRefused(pattern: String) {
        #expect(throws: DigitPatternError.self) { try DigitAutomaton(pattern: pattern).compile() }
    }

    @Test func prefixPatternFollowsBacktrackingPriority() throws {
        // The first alternative that leads to a match wins, not the longest.
        let shortFirst = try DigitPrefixPattern(pattern: "0|00")
        #expect(Self.withDigits("0012") { shortFirst.matchPrefix($0)?.end } == 1)
        let longFirst = try DigitPrefixPattern(pattern: "00|0")
        #expect(Self.withDigits("0012") { longFirst.matchPrefix($0)?.end } == 2)
        // Greedy repetition gives back digits only when it must.
        let greedy = try DigitPrefixPattern(pattern: "0(\\d{1,3})5")
        let match = try #require(Self.withDigits("012355") { greedy.matchPrefix($0) })
        #expect(match.end == 5)
        #expect(match.group(1) == 1..<4)
    }

    @Test func prefixPatternReportsGroupsAndEndOfInput() throws {
        // Antigua: seven local digits become 268 + the digits; otherwise a trunk 1 is stripped.
        let antigua = try DigitPrefixPattern(pattern: "([457]\\d{6})$|1")
        let local = try #require(Self.withDigits("4601234") { antigua.matchPrefix($0) })
        #expect(local.end == 7 && local.group(1) == 0..<7)
        let trunk = try #require(Self.withDigits("12684601234") { antigua.matchPrefix($0) })
        #expect(trunk.end == 1 && trunk.group(1) == nil)
        #expect(Self.withDigits("46012345") { antigua.matchPrefix($0) } == nil)
    }

    /// Every number pattern and leading-digits pattern of the metadata, against ICU on inputs
    /// derived from the example numbers (matches and near misses) and random digits.
    @Test func everyNumberPatternAgreesWithICU() throws {
        let catalog = try PhoneMetadataCatalog.bundled.get()
        var random = SeededRandom(seed: 7)
        var patterns = 0
        var states = 0
        var checks = 0
        var disagreements: [String] = []
        for region in catalog.regions {
            let examples = region.descriptions.compactMap { $0?.exampleNumber }
            var sources: [(String, Bool)] = region.descriptions.compactMap { $0.map { ($0.pattern, false) } }
            if let leading = region.leadingDigits { sources.append((leading, true)) }
            for (pattern, isPrefix) in sources {
                patterns += 1
                let automaton = DigitAutomaton(pattern: pattern)
                try automaton.compile()
                let icu = try NSRegularExpression(pattern: isPrefix ? "^(?:\(pattern))" : "^(?:\(pattern))$")
                for input in Self.samples(examples: examples, random: &random) {
                    checks += 1
                    let ours = Self.withDigits(input) { isPrefix ? automaton.matchesPrefix($0) : automaton.matchesWhole($0) }
                    let theirs = icu.firstMatch(in: input, range: NSRange(location: 0, length: input.utf16.count)) != nil
                    if ours != theirs { disagreements.append("\(region.regionCode) \(pattern) on \(input): \(ours)") }
                }
                automaton.determinizeCompletely()
                states += automaton.stateCount
            }
        }
        print("digit automata: \(patterns) patterns, \(states) states when fully built, \(checks) inputs checked against ICU")
        #expect(patterns >= 1_400)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// Every international prefix and national-prefix rule: same match end and groups as ICU.
    @Test func everyPrefixRuleAgreesWithICU() throws {
        let catalog = try PhoneMetadataCatalog.bundled.get()
        var random = SeededRandom(seed: 11)
        var rules = Set<String>()
        for region in catalog.regions {
            rules.formUnion([region.internationalPrefix, region.nationalPrefixForParsing].compactMap { $0 })
        }
        var disagreements: [String] = []
        for rule in rules.sorted() {
            let ours = try DigitPrefixPattern(pattern: rule)
            let icu = try NSRegularExpression(pattern: rule)
            let examples = catalog.regions.flatMap { region in
                region.descriptions.compactMap { $0?.exampleNumber }.flatMap { example in
                    [example, "0" + example, "00" + example, "1" + example, "15" + example, "90" + example]
                }
            }.shuffled(using: &random).prefix(300)
            for input in Array(examples) + Self.samples(examples: [], random: &random) {
                let mine = Self.withDigits(input) { ours.matchPrefix($0) }
                let range = NSRange(location: 0, length: input.utf16.count)
                let theirs = icu.firstMatch(in: input, options: .anchored, range: range)
                let mineText = mine.map { match in
                    "\(match.end) " + (0..<ours.captureCount).map { "\(match.group($0 + 1).map { "\($0)" } ?? "-")" }.joined(separator: ",")
                } ?? "none"
                let theirsText = theirs.map { match in
                    "\(match.range.length) " + (0..<ours.captureCount).map { index in
                        let group = match.range(at: index + 1)
                        return group.location == NSNotFound ? "-" : "\(group.location..<(group.location + group.length))"
                    }.joined(separator: ",")
                } ?? "none"
                if mineText != theirsText { disagreements.append("\(rule) on \(input): \(mineText) vs \(theirsText)") }
            }
        }
        #expect(rules.count > 60)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// Inputs around the example numbers: the examples, one-digit changes, a digit more or
    /// less, example prefixes with random tails, and random digit strings.
    static func samples(examples: [String], random: inout SeededRandom) -> [String] {
        var inputs: [String] = []
        for example in examples {
            inputs.append(example)
            var digits = Array(example)
            let index = Int(random.next() % UInt64(digits.count))
            digits[index] = Character(String(random.next() % 10))
            inputs.append(String(digits))
            inputs.append(example + String(random.next() % 10))
            inputs.append(String(example.dropLast()))
            let keep = Int(random.next() % UInt64(example.count + 1))
            inputs.append(String(example.prefix(keep)) + (keep..<example.count).map { _ in String(random.next() % 10) }.joined())
        }
        for _ in 0..<12 {
            let length = Int(random.next() % 16)
            inputs.append((0..<length).map { _ in String(random.next() % 10) }.joined())
        }
        return inputs
    }

    static func withDigits<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        text.utf8.map { $0 - UInt8(ascii: "0") }.withUnsafeBufferPointer(body)
    }
}
