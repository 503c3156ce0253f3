/// The national-prefix transform rule of a region, e.g. `268\1` for Antigua: digits to write
/// and capturing groups to copy, in order.
struct NationalPrefixTransformRule: Sendable {
    enum Part: Sendable {
        case digits([UInt8])
        case group(Int)
    }

    let parts: [Part]

    init(_ rule: String) throws(DigitPatternError) {
        var parts: [Part] = []
        var literal: [UInt8] = []
        var bytes = rule.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "$") {
                guard let next = bytes.next(), next >= UInt8(ascii: "1"), next <= UInt8(ascii: "9") else {
                    throw DigitPatternError(pattern: rule, offset: 0, problem: "bad group reference in transform rule")
                }
                if !literal.isEmpty { parts.append(.digits(literal)) }
                literal = []
                parts.append(.group(Int(next - UInt8(ascii: "0"))))
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                literal.append(byte - UInt8(ascii: "0"))
            } else {
                throw DigitPatternError(pattern: rule, offset: 0, problem: "non-digit in transform rule")
            }
        }
        if !literal.isEmpty { parts.append(.digits(literal)) }
        self.parts = parts
    }
}

/// One region's metadata compiled for matching. Prefix rules are compiled when the region is
/// first used by a `PhoneNumberNormalizer`; each number pattern when a number first needs it
/// (many never are: length checks keep most numbers away from most patterns).
/// Its automata grow as numbers visit new states, so it is not Sendable.
final class CompiledPhoneRegion {
    let metadata: PhoneRegionMetadata
    let internationalPrefix: DigitPrefixPattern?
    let nationalPrefixForParsing: DigitPrefixPattern?
    let transformRule: NationalPrefixTransformRule?
    let leadingDigits: DigitAutomaton?
    /// The calling code's digits, for the "typed without +" check.
    let countryCodeDigits: [UInt8]
    /// Indexed by length, up to one past the longest possible length of the region.
    private let lengthChecks: [PhoneNumberLengthCheck]
    /// Per description kind: bit n set when length n is possible; 0 when no lengths are listed.
    private let lengthMasks: [UInt64]
    /// All number descriptions in one automaton (bit = `PhoneNumberPatternKind.rawValue`),
    /// compiled on first use.
    let descriptions: DigitAutomaton

    init(_ metadata: PhoneRegionMetadata) throws(DigitPatternError) {
        self.metadata = metadata
        internationalPrefix = try metadata.internationalPrefix.map { pattern throws(DigitPatternError) in
            try DigitPrefixPattern(pattern: pattern)
        }
        nationalPrefixForParsing = try metadata.nationalPrefixForParsing.map { pattern throws(DigitPatternError) in
            try DigitPrefixPattern(pattern: pattern)
        }
        transformRule = try metadata.nationalPrefixTransformRule.map { rule throws(DigitPatternError) in
            try NationalPrefixTransformRule(rule)
        }
        leadingDigits = metadata.leadingDigits.map(DigitAutomaton.init(pattern:))
        countryCodeDigits = String(metadata.countryCode).utf8.map { $0 - UInt8(ascii: "0") }
        lengthMasks = metadata.descriptions.map { description in
            description?.possibleLengths.reduce(0) { $0 | (1 << UInt64($1)) } ?? 0
        }
        lengthChecks = Self.lengthChecks(metadata.description(.general))
        descriptions = DigitAutomaton(patterns: metadata.descriptions.map { $0?.pattern })
    }

    /// libphonenumber's `_match_national_number` against the general description (pattern only).
    func matchesGeneralPattern(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        descriptions.acceptMask(digits) & 1 << UInt32(PhoneNumberPatternKind.general.rawValue) != 0
    }

    /// libphonenumber's `_number_type_helper`: the type of a national number, nil if unknown.
    /// A description matches (`_is_number_matching_desc`) when the length is possible (or none
    /// are listed) and its pattern matches; one automaton run answers every pattern.
    func numberType(of digits: UnsafeBufferPointer<UInt8>) -> PhoneNumberType? {
        let patternMask = descriptions.acceptMask(digits)
        guard patternMask != 0 else { return nil }
        let lengthBit: UInt64 = digits.count < 64 ? 1 << UInt64(digits.count) : 0
        func matches(_ kind: PhoneNumberPatternKind) -> Bool {
            guard patternMask & (1 << UInt32(kind.rawValue)) != 0 else { return false }
            let lengths = lengthMasks[kind.rawValue]
            return lengths == 0 || lengths & lengthBit != 0
        }
        guard matches(.general) else { return nil }
        if matches(.premiumRate) { return .premiumRate }
        if matches(.tollFree) { return .tollFree }
        if matches(.sharedCost) { return .sharedCost }
        if matches(.voip) { return .voip }
        if matches(.personalNumber) { return .personalNumber }
        if matches(.pager) { return .pager }
        if matches(.uan) { return .uan }
        if matches(.voicemail) { return .voicemail }
        let same = metadata.sameMobileAndFixedLinePattern
        if matches(.fixedLine) {
            return same || matches(.mobile) ? .fixedLineOrMobile : .fixedLine
        }
        if !same && matches(.mobile) { return .mobile }
        return nil
    }

    /// libphonenumber's `_test_number_length` for an unknown type (general description).
    func lengthCheck(of length: Int) -> PhoneNumberLengthCheck {
        length < lengthChecks.count ? lengthChecks[length] : .tooLong
    }

    /// `_test_number_length`'s answer for each length up to one past the longest possible.
    private static func lengthChecks(_ general: PhoneNumberDescription?) -> [PhoneNumberLengthCheck] {
        guard let general, let minimum = general.possibleLengths.first,
              let maximum = general.possibleLengths.last else { return [.invalidLength] }
        return (0...maximum + 1).map { length in
            if general.localOnlyLengths.contains(length) { return .possibleLocalOnly }
            if minimum == length { return .possible }
            if minimum > length { return .tooShort }
            if maximum < length { return .tooLong }
            return general.possibleLengths.dropFirst().contains(length) ? .possible : .invalidLength
        }
    }
}
