/// The kinds of number description libphonenumber keeps per region, in table order.
enum PhoneNumberPatternKind: Int, CaseIterable, Sendable {
    case general, fixedLine, mobile, tollFree, premiumRate, sharedCost, voip, personalNumber, pager, uan, voicemail

    /// The kinds by their table names.
    static let byTableName: [String: PhoneNumberPatternKind] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.tableName, $0) })

    /// The name used in the generated table.
    var tableName: String {
        switch self {
        case .general: "general"
        case .fixedLine: "fixed"
        case .mobile: "mobile"
        case .tollFree: "tollfree"
        case .premiumRate: "premium"
        case .sharedCost: "sharedcost"
        case .voip: "voip"
        case .personalNumber: "personal"
        case .pager: "pager"
        case .uan: "uan"
        case .voicemail: "voicemail"
        }
    }
}

/// One number description of a region: a pattern and the lengths it allows.
struct PhoneNumberDescription: Sendable {
    /// Possible lengths of the national significant number, ascending.
    let possibleLengths: [Int]
    /// Lengths only diallable locally (without the area code), ascending.
    let localOnlyLengths: [Int]
    let exampleNumber: String?
    let pattern: String
}

/// libphonenumber's metadata for one region (or non-geographical entity, region "001").
struct PhoneRegionMetadata: Sendable {
    let regionCode: String
    let countryCode: Int
    let isMainCountryForCode: Bool
    let sameMobileAndFixedLinePattern: Bool
    let internationalPrefix: String?
    let nationalPrefix: String?
    let nationalPrefixForParsing: String?
    let nationalPrefixTransformRule: String?
    /// For regions sharing a calling code: the national numbers that belong to this region.
    let leadingDigits: String?
    /// Indexed by `PhoneNumberPatternKind.rawValue`; nil where the region has no such numbers.
    let descriptions: [PhoneNumberDescription?]

    func description(_ kind: PhoneNumberPatternKind) -> PhoneNumberDescription? { descriptions[kind.rawValue] }
}

/// The whole libphonenumber metadata table, parsed once per process.
struct PhoneMetadataCatalog: Sendable {
    /// The libphonenumber release the table was generated from.
    let libphonenumberVersion: String
    let regions: [PhoneRegionMetadata]
    /// Region indices per calling code (0...999), main region first.
    let regionIndicesByCallingCode: [[Int32]]
    /// Index of each geographical region by its code ("CN").
    let regionIndexByCode: [String: Int]

    /// Calling codes are at most three digits.
    static let callingCodeLimit = 1000

    /// The table compiled into the library, parsed on first use.
    static let bundled: Result<PhoneMetadataCatalog, PhoneNumberError> = {
        do {
            return .success(try PhoneMetadataCatalog(table: PhoneMetadataText.table))
        } catch {
            return .failure(.metadataUnreadable(String(describing: error)))
        }
    }()

    /// The regions sharing `callingCode`, main region first (empty when unassigned).
    func regionIndices(forCallingCode callingCode: Int) -> [Int32] {
        callingCode > 0 && callingCode < Self.callingCodeLimit ? regionIndicesByCallingCode[callingCode] : []
    }

    /// Whether `callingCode` is assigned.
    func isAssigned(callingCode: Int) -> Bool { !regionIndices(forCallingCode: callingCode).isEmpty }
}
