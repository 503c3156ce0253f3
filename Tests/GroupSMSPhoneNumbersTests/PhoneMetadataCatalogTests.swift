import Testing
@testable import GroupSMSPhoneNumbers

/// The generated table: version, structure, and the facts the parser relies on.
@Suite struct PhoneMetadataCatalogTests {
    @Test func theTableRecordsItsLibphonenumberRelease() throws {
        let catalog = try PhoneMetadataCatalog.bundled.get()
        #expect(catalog.libphonenumberVersion == "9.0.43")
        #expect(PhoneNumberNormalizer.libphonenumberVersion == catalog.libphonenumberVersion)
        #expect(catalog.regions.count > 240)
        #expect(PhoneNumberNormalizer.supportedRegions.contains("CN"))
    }

    @Test func sharedCallingCodesListTheMainRegionFirst() throws {
        let catalog = try PhoneMetadataCatalog.bundled.get()
        let regions = { (code: Int) in catalog.regionIndices(forCallingCode: code).map { catalog.regions[Int($0)].regionCode } }
        #expect(regions(1).first == "US" && regions(1).contains("CA") && regions(1).count == 25)
        #expect(regions(7) == ["RU", "KZ"])
        #expect(regions(44) == ["GB", "GG", "IM", "JE"])
        #expect(regions(86) == ["CN"])
        #expect(regions(800) == ["001"])
        #expect(regions(0).isEmpty && regions(999).isEmpty && regions(5000).isEmpty)
        for code in 1..<PhoneMetadataCatalog.callingCodeLimit {
            let indices = catalog.regionIndices(forCallingCode: code)
            guard indices.count > 1 else { continue }
            #expect(catalog.regions[Int(indices[0])].isMainCountryForCode, "+\(code)")
            for index in indices.dropFirst() { #expect(!catalog.regions[Int(index)].isMainCountryForCode, "+\(code)") }
        }
    }

    @Test func everyRegionCompilesItsPrefixRulesAndEveryPattern() throws {
        let catalog = try PhoneMetadataCatalog.bundled.get()
        for region in catalog.regions {
            let compiled = try CompiledPhoneRegion(region)
            try compiled.descriptions.compile()
            try compiled.leadingDigits?.compile()
            #expect(region.description(.general) != nil, "\(region.regionCode)")
        }
    }

    @Test func transformRulesFitTheScratchBuffers() throws {
        // A transform writes its literal digits plus part of the input; inputs are at most
        // 250 digits and each scratch buffer holds 256.
        let catalog = try PhoneMetadataCatalog.bundled.get()
        for region in catalog.regions {
            guard let rule = region.nationalPrefixTransformRule else { continue }
            let literalDigits = try NationalPrefixTransformRule(rule).parts.reduce(0) { total, part in
                if case .digits(let digits) = part { return total + digits.count }
                return total
            }
            #expect(PhoneNumberNormalizer.maximumInputLength + literalDigits <= PhoneNumberNormalizer.scratchSlotSize, "\(rule)")
        }
    }

    @Test func malformedTablesAreRefusedWithTheLine() {
        #expect(throws: PhoneMetadataTableError.self) { try PhoneMetadataCatalog(table: "V 1\nmobile 1 ~ ~ 1") }
        #expect(throws: PhoneMetadataTableError.self) { try PhoneMetadataCatalog(table: "V 1\nC 1 US") }
        #expect(throws: PhoneMetadataTableError.self) { try PhoneMetadataCatalog(table: "C 1 US\nR US 1 M 011 1 1 ~ ~") }
        #expect(throws: PhoneMetadataTableError.self) { try PhoneMetadataCatalog(table: "V 1\nR US 1 M 011 1 1 ~ ~\nbogus 1 ~ ~ 1") }
    }
}
