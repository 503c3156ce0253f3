/// How the calling code of a parsed number was found (libphonenumber's CountryCodeSource).
enum PhoneCountryCodeSource: Equatable {
    case plusSign, internationalPrefix, withoutPlusSign, defaultRegion
}

/// libphonenumber's NumberParseException kinds, for inputs that are only `+` and digits.
enum PhoneParseFailure: Error, Equatable {
    case notANumber, invalidCountryCode, tooShortAfterInternationalPrefix, tooShortNationalNumber, tooLong

    var rejectionReason: PhoneNumberRejection.Reason {
        switch self {
        case .notANumber: .tooFewDigits
        case .invalidCountryCode: .unknownCountryCode
        case .tooShortAfterInternationalPrefix: .tooShortAfterInternationalPrefix
        case .tooShortNationalNumber: .tooShort
        case .tooLong: .tooLong
        }
    }
}

/// A parsed number: calling code and national significant number. The digits live in the
/// normaliser's scratch buffers and are valid until its next `normalize` call.
struct ParsedPhoneDigits {
    let countryCode: Int
    let nationalNumber: UnsafeBufferPointer<UInt8>
    let countryCodeSource: PhoneCountryCodeSource
}

/// A port of libphonenumber's `parse(number, defaultRegion)` (Python phonenumbers, same
/// release as the metadata) for the inputs clean-up leaves: an optional `+` and digits. Every
/// branch of the original that such inputs can reach is kept, in the original order.
extension PhoneNumberNormalizer {
    /// Shortest national significant number libphonenumber accepts.
    static let minimumNationalNumberLength = 2
    /// Longest national significant number libphonenumber accepts.
    static let maximumNationalNumberLength = 17

    func parse(_ digits: UnsafeBufferPointer<UInt8>, hasPlus: Bool,
               buffers: inout PhoneScratchBuffers) throws(PhoneParseFailure) -> ParsedPhoneDigits {
        // _is_viable_phone_number: two digits, or a + and at least three.
        guard digits.count >= (hasPlus ? 3 : 2) else { throw .notANumber }
        let defaultRegion = compiledDefaultRegion

        var extracted: (countryCode: Int, nationalNumber: UnsafeBufferPointer<UInt8>, source: PhoneCountryCodeSource)
        do {
            extracted = try extractCountryCode(digits, hasPlus: hasPlus, region: defaultRegion, buffers: &buffers)
        } catch .invalidCountryCode where hasPlus {
            // Strip the + and try again, as libphonenumber does ("+0086..." still works).
            extracted = try extractCountryCode(digits, hasPlus: false, region: defaultRegion, buffers: &buffers)
            guard extracted.countryCode != 0 else { throw .invalidCountryCode }
        }

        var region = defaultRegion
        var nationalNumber = extracted.nationalNumber
        var countryCode = extracted.countryCode
        if countryCode != 0 {
            let mainRegion = catalog.regionIndices(forCallingCode: countryCode)[0]
            region = compiledRegion(Int(mainRegion))
        } else {
            nationalNumber = digits
            countryCode = defaultRegion.metadata.countryCode
        }
        guard nationalNumber.count >= Self.minimumNationalNumberLength else { throw .tooShortNationalNumber }

        // Keep the national prefix (and carrier code) stripped only if what remains can still
        // be a number of the region; otherwise the original could be a valid short number.
        let potential = stripNationalPrefix(nationalNumber, region: region, buffers: &buffers).digits
        switch region.lengthCheck(of: potential.count) {
        case .tooShort, .possibleLocalOnly, .invalidLength: break
        case .possible, .tooLong: nationalNumber = potential
        }
        guard nationalNumber.count >= Self.minimumNationalNumberLength else { throw .tooShortNationalNumber }
        guard nationalNumber.count <= Self.maximumNationalNumberLength else { throw .tooLong }
        return ParsedPhoneDigits(countryCode: countryCode, nationalNumber: nationalNumber,
                                 countryCodeSource: extracted.source)
    }

    /// libphonenumber's `_maybe_extract_country_code`; a calling code of 0 means none found.
    private func extractCountryCode(_ number: UnsafeBufferPointer<UInt8>, hasPlus: Bool, region: CompiledPhoneRegion,
                                    buffers: inout PhoneScratchBuffers) throws(PhoneParseFailure) -> (countryCode: Int, nationalNumber: UnsafeBufferPointer<UInt8>, source: PhoneCountryCodeSource) {
        let none = (0, UnsafeBufferPointer<UInt8>(start: nil, count: 0), PhoneCountryCodeSource.defaultRegion)
        if number.isEmpty && !hasPlus { return none }

        var fullNumber = number
        var source = PhoneCountryCodeSource.defaultRegion
        if hasPlus {
            source = .plusSign
        } else if let idd = region.internationalPrefix, let match = idd.matchPrefix(number) {
            // Country calling codes never start with 0, so a 0 after the prefix means it was not one.
            if match.end == number.count || number[match.end] != 0 {
                source = .internationalPrefix
                fullNumber = UnsafeBufferPointer(rebasing: number[match.end...])
            }
        }

        if source != .defaultRegion {
            guard fullNumber.count > Self.minimumNationalNumberLength else { throw .tooShortAfterInternationalPrefix }
            guard fullNumber[0] != 0 else { throw .invalidCountryCode }
            var code = 0
            for length in 1...min(fullNumber.count, 3) {
                code = code * 10 + Int(fullNumber[length - 1])
                if catalog.isAssigned(callingCode: code) {
                    return (code, UnsafeBufferPointer(rebasing: fullNumber[length...]), source)
                }
            }
            throw .invalidCountryCode
        }

        // A calling code typed without +: keep it stripped if the number was not valid before
        // but is now, or if it was too long before.
        let codeDigits = region.countryCodeDigits
        guard fullNumber.count >= codeDigits.count,
              codeDigits.indices.allSatisfy({ fullNumber[$0] == codeDigits[$0] }) else { return none }
        let afterCode = UnsafeBufferPointer(rebasing: fullNumber[codeDigits.count...])
        let potential = stripNationalPrefix(afterCode, region: region, buffers: &buffers).digits
        if (!region.matchesGeneralPattern(fullNumber) && region.matchesGeneralPattern(potential))
            || region.lengthCheck(of: fullNumber.count) == .tooLong {
            return (region.metadata.countryCode, potential, .withoutPlusSign)
        }
        return none
    }

    /// libphonenumber's `_maybe_strip_national_prefix_carrier_code` (carrier code dropped).
    func stripNationalPrefix(_ number: UnsafeBufferPointer<UInt8>, region: CompiledPhoneRegion,
                             buffers: inout PhoneScratchBuffers) -> (digits: UnsafeBufferPointer<UInt8>, stripped: Bool) {
        guard !number.isEmpty, let prefix = region.nationalPrefixForParsing,
              let match = prefix.matchPrefix(number) else { return (number, false) }
        let viableOriginal = region.matchesGeneralPattern(number)
        let rest = UnsafeBufferPointer(rebasing: number[match.end...])
        guard let rule = region.transformRule, prefix.captureCount > 0,
              match.group(prefix.captureCount) != nil else {
            if viableOriginal && !region.matchesGeneralPattern(rest) { return (number, false) }
            return (rest, true)
        }
        guard let transformed = transform(number, match: match, rule: rule, into: buffers.take()) else { return (number, false) }
        if viableOriginal && !region.matchesGeneralPattern(transformed) { return (number, false) }
        return (transformed, true)
    }

    /// `re.sub(prefix, rule, number, count=1)`: the rule's expansion, then the digits after the match.
    private func transform(_ number: UnsafeBufferPointer<UInt8>, match: DigitPrefixMatch, rule: NationalPrefixTransformRule,
                           into output: UnsafeMutableBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var count = 0
        func append(_ digit: UInt8) -> Bool {
            guard count < output.count else { return false }
            output[count] = digit
            count += 1
            return true
        }
        for part in rule.parts {
            switch part {
            case .digits(let digits):
                for digit in digits where !append(digit) { return nil }
            case .group(let groupNumber):
                guard let range = match.group(groupNumber) else { continue }  // unmatched group: empty
                for index in range where !append(number[index]) { return nil }
            }
        }
        for index in match.end..<number.count where !append(number[index]) { return nil }
        return UnsafeBufferPointer(start: output.baseAddress, count: count)
    }
}
