import Testing
@testable import GroupSMSPhoneNumbers

/// SPEC §2 steps 3-4: parsing like libphonenumber with a default region, validity, types.
@Suite struct PhoneNumberNormalizerTests {
    static func outcome(_ text: String, region: String = "CN") throws -> PhoneNumberOutcome {
        try PhoneNumberNormalizer(defaultRegion: region).normalize(text: text)
    }

    static func e164(_ text: String, region: String = "CN") throws -> String? {
        if case .valid(let number) = try outcome(text, region: region) { return number.e164 }
        return nil
    }

    @Test(arguments: ["13112345678", "013112345678", "8613112345678", "0086 131 1234 5678", "+86 131 1234 5678"])
    func theSpecExamplesBecomeOneNumber(text: String) throws {
        #expect(try Self.e164(text) == "+8613112345678")
    }

    @Test(arguments: [
        ("07400 123456", "GB", "+447400123456"),
        ("44 7400 123456", "GB", "+447400123456"),
        ("+44 (0)7400 123456", "CN", "+447400123456"),
        ("(202) 555-0123", "US", "+12025550123"),
        ("011 44 7400 123456", "US", "+447400123456"),
        ("8 (912) 345-67-89", "RU", "+79123456789"),
        ("0343 15 555 1212", "AR", "+5493435551212"),
        ("0 15 21 98765 4321", "BR", "+5521987654321"),
        ("4601234", "AG", "+12684601234"),
        ("+852 5123 4567", "CN", "+85251234567"),
        ("1790013112345678", "CN", "+8613112345678"),
    ])
    func nationalFormsTrunkPrefixesAndCarrierCodesFollowTheRegion(text: String, region: String, expected: String) throws {
        #expect(try Self.e164(text, region: region) == expected)
    }

    @Test func defaultRegionIsCaseInsensitiveAndUnknownRegionsAreRefused() throws {
        #expect(try PhoneNumberNormalizer(defaultRegion: "gb").defaultRegion == "GB")
        #expect(throws: PhoneNumberError.unknownDefaultRegion("XX")) { try PhoneNumberNormalizer(defaultRegion: "XX") }
        #expect(throws: PhoneNumberError.unknownDefaultRegion("001")) { try PhoneNumberNormalizer(defaultRegion: "001") }
    }

    @Test func numbersSharingACallingCodeGetTheirOwnRegion() throws {
        let normalizer = try PhoneNumberNormalizer(defaultRegion: "CN")
        let regions = ["+1 202 555 0123": "US", "+1 416 555 0123": "CA", "+1 268 460 1234": "AG",
                       "+44 7400 123456": "GB", "+44 7781 123456": "GG", "+7 701 123 4567": "KZ", "+7 912 345 6789": "RU"]
        for (text, region) in regions {
            guard case .valid(let number) = normalizer.normalize(text: text) else {
                Issue.record("\(text) was rejected")
                continue
            }
            #expect(number.regionCode == region, "\(text)")
        }
    }

    @Test func invalidNumbersSayWhyAndWhere() throws {
        let cases: [(String, PhoneNumberRejection.Reason)] = [
            ("1311234567", .invalidNumber(e164: "+861311234567", regionCode: "CN", lengthCheck: .possible)),
            ("+44 7400 12345", .invalidNumber(e164: "+44740012345", regionCode: "GB", lengthCheck: .possible)),
            ("+44 7400 1234", .invalidNumber(e164: "+4474001234", regionCode: "GB", lengthCheck: .possibleLocalOnly)),
            ("+1 202 555", .invalidNumber(e164: "+1202555", regionCode: "US", lengthCheck: .tooShort)),
            ("+1 202 555 01234", .invalidNumber(e164: "+120255501234", regionCode: "US", lengthCheck: .tooLong)),
            ("+999 1234 5678", .unknownCountryCode),
            ("12", .invalidNumber(e164: "+8612", regionCode: "CN", lengthCheck: .tooShort)),
            ("1", .tooFewDigits),
            ("+12", .tooFewDigits),
            ("0012", .tooFewDigits),  // 00 becomes +: "+12"
            ("179000012", .tooShortAfterInternationalPrefix),  // CN international prefix 1790000
            ("+86 " + String(repeating: "1", count: 30), .tooLong),
        ]
        for (text, reason) in cases {
            let outcome = try Self.outcome(text)
            #expect(outcome == .rejected(PhoneNumberRejection(reason)), "\(text): \(outcome)")
        }
        let messages = [
            "+44 7400 12345": "+44740012345 is not a valid GB number: no GB number starts with these digits",
            "+44 7400 1234": "+4474001234 is not a valid GB number: a local number without its area code",
            "+1 202 555": "+1202555 is not a valid US number: too short",
        ]
        for (text, message) in messages {
            guard case .rejected(let rejection) = try Self.outcome(text) else { continue }
            #expect(rejection.message == message)
        }
    }

    @Test func everyTypeIsRecognisedAndTheNonSMSTypesWarn() throws {
        let normalizer = try PhoneNumberNormalizer(defaultRegion: "CN")
        let types = PhoneNumberType.allCases.filter { $0 != .fixedLineOrMobile }
        for type in types {
            let candidates = PhoneNumberNormalizer.supportedRegions.lazy.compactMap { region -> NormalizedPhoneNumber? in
                guard let example = PhoneNumberNormalizer.exampleNumber(region: region, type: type),
                      case .valid(let number) = normalizer.normalize(text: example), number.type == type else { return nil }
                return number
            }
            let number = try #require(candidates.first, "no example number of type \(type)")
            let warns = [.fixedLine, .tollFree, .premiumRate, .sharedCost, .uan, .voicemail].contains(type)
            #expect(number.type.canReceiveSMS == !warns, "\(type)")
            #expect((number.smsWarning != nil) == warns, "\(type)")
            if let warning = number.smsWarning { #expect(warning.contains("cannot receive SMS")) }
        }
    }

    @Test func fixedLineOrMobileNumbersDoNotWarn() throws {
        guard case .valid(let number) = try Self.outcome("+1 202 555 0123") else {
            Issue.record("expected a valid number")
            return
        }
        #expect(number.type == .fixedLineOrMobile)
        #expect(number.smsWarning == nil)
    }

    @Test func oneNormaliserServesManyRegionsRepeatedly() throws {
        let normalizer = try PhoneNumberNormalizer(defaultRegion: "CN")
        for _ in 0..<3 {
            for region in PhoneNumberNormalizer.supportedRegions {
                guard let example = PhoneNumberNormalizer.exampleNumber(region: region, type: .mobile) else { continue }
                if case .rejected(let rejection) = normalizer.normalize(text: example) {
                    Issue.record("\(region) example \(example): \(rejection.message)")
                }
            }
        }
    }
}
