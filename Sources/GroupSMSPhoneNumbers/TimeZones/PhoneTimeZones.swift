/// The time zones of phone numbers, from libphonenumber's prefix-to-time-zone data (SPEC §8).
///
/// Answers as libphonenumber's `PhoneNumberToTimeZonesMapper` does for valid numbers: a
/// geographical number (fixed-line, fixed-line-or-mobile, or mobile where the calling code's
/// mobile numbers are geographical) gets the zones of the longest prefix of its E.164 digits in
/// the table, which at worst is its calling code's entry; any other number gets its country's
/// zones. Where libphonenumber would say `Etc/Unknown`, the answer is the country's zones, or
/// none when the country has no zone data (the non-geographical codes such as +800): a number
/// whose zone is unknown uses its country's zones. Zone ids are IANA ids, in the table's order.
public struct PhoneTimeZones: Sendable {
    /// The libphonenumber release the table was generated from.
    public let libphonenumberVersion: String
    /// The distinct zone lists of the table; every answer is one of them (or empty).
    let zoneLists: [[String]]
    /// Index into `zoneLists` by prefix: E.164 digits after `+`, as a number (no prefix starts
    /// with 0, so the number alone identifies it).
    let zoneListIndexByPrefix: [UInt32: UInt16]
    /// The number of digits of the longest prefix.
    let longestPrefix: Int
    /// Calling codes whose mobile numbers are geographical (libphonenumber's GEO_MOBILE_COUNTRIES).
    let geographicalMobileCallingCodes: Set<Int>

    /// The table compiled into the library, parsed on first use (once per process, thread-safe).
    public static func bundled() throws(PhoneTimeZoneTableError) -> PhoneTimeZones {
        try parsedBundle.get()
    }

    private static let parsedBundle: Result<PhoneTimeZones, PhoneTimeZoneTableError> = {
        do throws(PhoneTimeZoneTableError) {
            return .success(try PhoneTimeZones(table: PhoneTimeZoneData.table))
        } catch {
            return .failure(error)
        }
    }()

    /// The zones of a number given as `+` and digits, taken as geographical (longest prefix);
    /// empty when the text is not `+` and 1-19 digits or no prefix is known.
    public func zoneIDs(forE164 number: String) -> [String] {
        var utf8 = number.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "+") else { return [] }
        var value: UInt64 = 0
        var digits = 0
        while let byte = utf8.next() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 19 else { return [] }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        guard digits > 0 else { return [] }
        return longestPrefixZoneIDs(e164Value: value)
    }

    /// The zones of a valid number: its E.164 digits as a number, its calling code, and whether
    /// it is geographical (see `isGeographical(_:countryCode:)`).
    public func zoneIDs(forE164Value value: UInt64, countryCode: Int, geographical: Bool) -> [String] {
        let zones = geographical ? longestPrefixZoneIDs(e164Value: value) : []
        return zones.isEmpty ? countryZoneIDs(callingCode: countryCode) : zones
    }

    /// The zones of a calling code as a whole (libphonenumber's country-level zones); empty for
    /// codes without zone data.
    public func countryZoneIDs(callingCode: Int) -> [String] {
        guard (1...999).contains(callingCode), let index = zoneListIndexByPrefix[UInt32(callingCode)] else { return [] }
        return zoneLists[Int(index)]
    }

    /// The zones of the longest prefix of `value`'s digits in the table.
    func longestPrefixZoneIDs(e164Value value: UInt64) -> [String] {
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        var prefix = value
        for _ in 0..<max(0, digits - longestPrefix) { prefix /= 10 }
        while prefix > 0 {
            if prefix <= UInt64(UInt32.max), let index = zoneListIndexByPrefix[UInt32(prefix)] {
                return zoneLists[Int(index)]
            }
            prefix /= 10
        }
        return []
    }
}
