import GroupSMSModel
import Synchronization

/// Numbers' regions and time zones from the pinned libphonenumber release (SPEC §8): region and
/// type from the number metadata, zones from the prefix-to-time-zone table, as
/// libphonenumber's `PhoneNumberToTimeZonesMapper` gives them (`PhoneTimeZones`).
///
/// One lookup serves a whole process: its normaliser (not Sendable) is used under a lock, and
/// a lookup costs about what normalising one number does, well under a microsecond, so a
/// claim of 500 numbers spends a fraction of a millisecond on it.
public final class PhoneNumberZoneLookup: NumberZoneLookup {
    private let table: PhoneTimeZones
    private let normalizer: Mutex<PhoneNumberNormalizer>

    /// A lookup over the compiled-in metadata and time-zone table.
    public init() throws {
        table = try PhoneTimeZones.bundled()
        normalizer = Mutex(try PhoneNumberNormalizer())
    }

    /// The process's lookup, made on first use.
    public static func shared() throws -> PhoneNumberZoneLookup {
        try sharedLookup.get()
    }

    private static let sharedLookup: Result<PhoneNumberZoneLookup, any Error> = Result { try PhoneNumberZoneLookup() }

    /// The region and zones of a number in E.164. A number the metadata does not take as valid
    /// (none reaches a job) gets the zones of its longest known prefix and no region.
    public func zones(ofE164 e164: String) -> NumberZones {
        let outcome = normalizer.withLock { $0.normalize(text: e164) }
        guard case .valid(let number) = outcome else {
            return NumberZones(regionCode: "", zoneIDs: table.zoneIDs(forE164: e164))
        }
        return NumberZones(regionCode: number.regionCode, zoneIDs: table.zoneIDs(for: number))
    }
}
