/// Where a number's recipient is, as far as send windows care: the number's region and the
/// time zones its local time may be in (SPEC §8).
public struct NumberZones: Sendable, Hashable {
    /// The region, e.g. "CN"; empty when not known.
    public var regionCode: String
    /// IANA zone ids; empty when not known (see `SendWindowSchedule` for what that means).
    public var zoneIDs: [String]

    /// A number of `regionCode` in `zoneIDs`.
    public init(regionCode: String, zoneIDs: [String]) {
        self.regionCode = regionCode
        self.zoneIDs = zoneIDs
    }

    /// The calling code of the Chinese mainland; no other region shares it.
    static let chineseMainlandPrefix = "+86"

    /// What the E.164 text alone says: region CN for +86 numbers (the only region with that
    /// calling code), nothing for the rest, and no zones. Enough for the regional defaults,
    /// which look at the region only.
    public static func callingCodeOnly(e164: String) -> NumberZones {
        e164.hasPrefix(chineseMainlandPrefix) ? chineseMainland : unknown
    }

    private static let chineseMainland = NumberZones(regionCode: SendWindowSetting.chineseMainlandRegion, zoneIDs: [])
    private static let unknown = NumberZones(regionCode: "", zoneIDs: [])
}

/// Gives each number its region and time zones. `GroupSMSPhoneNumbers.PhoneNumberZoneLookup`
/// answers from the pinned libphonenumber release's data; the store and the runner take any
/// lookup so they need not know where the data comes from.
public protocol NumberZoneLookup: Sendable {
    /// The region and zones of a valid number in E.164 (`+` and digits).
    func zones(ofE164 e164: String) -> NumberZones
}
