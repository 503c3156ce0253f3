/// The verdict on a parsed number.
enum PhoneValidation {
    case valid(NormalizedPhoneNumber)
    case invalid(PhoneNumberRejection.Reason)
}

/// A port of libphonenumber's `is_valid_number`: find the number's region among those sharing
/// its calling code (leading digits where the region has them, else a full type match), then
/// require a known number type for that region.
extension PhoneNumberNormalizer {
    func validate(_ parsed: ParsedPhoneDigits) -> PhoneValidation {
        let nationalNumber = parsed.nationalNumber
        let candidates = catalog.regionIndices(forCallingCode: parsed.countryCode)
        var region: CompiledPhoneRegion?
        var type: PhoneNumberType?
        if candidates.count == 1 {
            region = compiledRegion(Int(candidates[0]))
            type = region?.numberType(of: nationalNumber)
        } else {
            for index in candidates {
                let candidate = compiledRegion(Int(index))
                if let leadingDigits = candidate.leadingDigits {
                    if leadingDigits.matchesPrefix(nationalNumber) {
                        region = candidate
                        type = candidate.numberType(of: nationalNumber)
                        break
                    }
                } else if let candidateType = candidate.numberType(of: nationalNumber) {
                    region = candidate
                    type = candidateType
                    break
                }
            }
        }
        if let region, let type {
            var value = UInt64(parsed.countryCode)
            for digit in nationalNumber { value = value &* 10 &+ UInt64(digit) }
            return .valid(NormalizedPhoneNumber(
                e164Value: value, countryCode: parsed.countryCode,
                regionCode: region.metadata.regionCode, type: type))
        }
        let mainRegion = compiledRegion(Int(candidates[0]))
        let e164 = "+\(parsed.countryCode)" + String(decoding: nationalNumber.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        return .invalid(.invalidNumber(
            e164: e164, regionCode: (region ?? mainRegion).metadata.regionCode,
            lengthCheck: mainRegion.lengthCheck(of: nationalNumber.count)))
    }
}
