extension PhoneNumberNormalizer {
    /// libphonenumber's example number of `type` for `region` ("CN", "US"...), in E.164 form;
    /// nil when the region has no such numbers. Handy for messages and generated test data.
    public static func exampleNumber(region: String, type: PhoneNumberType) -> String? {
        guard let catalog = try? PhoneMetadataCatalog.bundled.get(),
              let index = catalog.regionIndexByCode[region.uppercased()] else { return nil }
        let metadata = catalog.regions[index]
        guard let example = metadata.description(type.patternKind)?.exampleNumber else { return nil }
        return "+\(metadata.countryCode)\(example)"
    }

    /// The regions the metadata knows, as ISO 3166 codes, sorted.
    public static var supportedRegions: [String] {
        guard let catalog = try? PhoneMetadataCatalog.bundled.get() else { return [] }
        return catalog.regionIndexByCode.keys.sorted()
    }
}

extension PhoneNumberType {
    /// The metadata description that defines numbers of this type.
    var patternKind: PhoneNumberPatternKind {
        switch self {
        case .fixedLine, .fixedLineOrMobile: .fixedLine
        case .mobile: .mobile
        case .tollFree: .tollFree
        case .premiumRate: .premiumRate
        case .sharedCost: .sharedCost
        case .voip: .voip
        case .personalNumber: .personalNumber
        case .pager: .pager
        case .uan: .uan
        case .voicemail: .voicemail
        }
    }
}
