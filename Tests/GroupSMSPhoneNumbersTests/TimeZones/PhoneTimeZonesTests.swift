import Foundation
import GroupSMSModel
import Testing
@testable import GroupSMSPhoneNumbers

@Suite struct PhoneTimeZonesTests {
    @Test func theBundledTableLoadsQuicklyAndNamesZonesFoundationKnows() throws {
        let started = ContinuousClock.now
        let parsed = try PhoneTimeZones(table: PhoneTimeZoneData.table)
        let elapsed = ContinuousClock.now - started
        print("phone time zones: table of \(PhoneTimeZoneData.table.utf8.count) bytes parsed in \(elapsed) (debug build)")
        let bundled = try PhoneTimeZones.bundled()
        #expect(bundled.libphonenumberVersion == "9.0.43" && PhoneTimeZoneData.libphonenumberVersion == "9.0.43")
        #expect(parsed.zoneListIndexByPrefix.count == 3_240 && parsed.zoneLists.count == 315)
        #expect(parsed.longestPrefix == 9)
        let zoneIDs = Set(parsed.zoneLists.joined())
        #expect(zoneIDs.count == 285)
        let unknown = zoneIDs.filter { TimeZone(identifier: $0) == nil }.sorted()
        #expect(unknown.isEmpty, "zones Foundation does not know: \(unknown)")
    }

    @Test func numbersGetTheZonesOfTheirLongestPrefix() throws {
        let zones = try PhoneTimeZones.bundled()
        #expect(zones.zoneIDs(forE164: "+8613112345678") == ["Asia/Shanghai"])
        #expect(zones.zoneIDs(forE164: "+12125550123") == ["America/New_York"])
        #expect(zones.zoneIDs(forE164: "+12083301234") == ["America/Boise", "America/Los_Angeles"])
        #expect(zones.zoneIDs(forE164: "+74951234567") == ["Europe/Moscow"])
        #expect(zones.zoneIDs(forE164: "+6433051234") == ["Pacific/Chatham"])
        #expect(zones.zoneIDs(forE164: "+6493001234") == ["Pacific/Auckland"])
    }

    @Test func nonGeographicalNumbersGetTheirCountrysZones() throws {
        let zones = try PhoneTimeZones.bundled()
        // A Russian mobile number: libphonenumber does not place mobiles by prefix in Russia.
        #expect(!zones.isGeographical(.mobile, countryCode: 7))
        let russia = zones.zoneIDs(forE164Value: 79_141_234_567, countryCode: 7, geographical: false)
        #expect(russia == zones.countryZoneIDs(callingCode: 7) && russia.count == 16 && russia.contains("Asia/Kamchatka"))
        // Chinese mobiles are placed by prefix (GEO_MOBILE_COUNTRIES); so are fixed lines everywhere.
        #expect(zones.isGeographical(.mobile, countryCode: 86) && zones.isGeographical(.fixedLine, countryCode: 44))
        #expect(!zones.isGeographical(.tollFree, countryCode: 1) && zones.isGeographical(.fixedLineOrMobile, countryCode: 1))
        #expect(zones.countryZoneIDs(callingCode: 1).count == 42)
        #expect(zones.zoneIDs(forE164Value: 6_421_234_567, countryCode: 64, geographical: false)
                == ["Pacific/Auckland", "Pacific/Chatham"])
        // The non-geographical codes have no zone data at all.
        #expect(zones.zoneIDs(forE164Value: 80_012_345_678, countryCode: 800, geographical: false).isEmpty)
        #expect(zones.zoneIDs(forE164: "+80012345678").isEmpty)
        #expect(zones.countryZoneIDs(callingCode: 0).isEmpty && zones.countryZoneIDs(callingCode: 1_000).isEmpty)
    }

    @Test(arguments: ["", "+", "8613112345678", "+86 131", "+86131a", "+12345678901234567890"])
    func textThatIsNotE164HasNoZones(text: String) throws {
        #expect(try PhoneTimeZones.bundled().zoneIDs(forE164: text).isEmpty)
    }

    @Test(arguments: [
        ("V 9\nZ A/B\nS 1 12 13", 3),
        ("V 9\nZ A/B\nS 0", 3),
        ("V 9 10\nZ A/B\nS 0 12", 1),
        ("V 9\nZ A/B\nS 0 12\nS 0 1:23", 4),
        ("V 9\nZ A/B\nS 0 0123", 3),
        ("V 9\nZ A/B\nQ 0 12", 3),
        ("V 9\nZ A/B\nS 0 12:x", 3),
        ("Z A/B\nS 0 12", 0),
    ])
    func malformedTablesAreRefusedWithTheirLine(table: String, line: Int) {
        #expect {
            try PhoneTimeZones(table: table)
        } throws: { error in
            (error as? PhoneTimeZoneTableError)?.line == line
                && String(describing: error).contains("regenerate it with .tools/generate-phone-timezones.py")
        }
    }

    @Test func stemTokensStandForEachOfTheirDigits() throws {
        let table = try PhoneTimeZones(table: "V 9\nG 86\nZ Europe/London\nZ Europe/Paris\nS 0 44\nS 1 33 4:56")
        #expect(table.zoneIDs(forE164: "+44123") == ["Europe/London"])
        #expect(table.zoneIDs(forE164: "+45123") == ["Europe/Paris"] && table.zoneIDs(forE164: "+46123") == ["Europe/Paris"])
        #expect(table.zoneIDs(forE164: "+47123").isEmpty)
        #expect(table.isGeographical(.mobile, countryCode: 86) && !table.isGeographical(.mobile, countryCode: 44))
    }

    @Test func anIdahoNumberIsSentOnlyWhenBothItsZonesAreInsideTheWindow() throws {
        let zones = try PhoneTimeZones.bundled().zoneIDs(forE164: "+12083301234")
        let setting = SendWindowSetting.everyNumber(try SendWindow(parsing: "08:00-20:00"))
        // 2026-06-10 14:30Z is 08:30 in Boise but 07:30 in Los Angeles.
        var evaluator = SendWindowEvaluator(setting: setting, at: Date(timeIntervalSince1970: 1_781_101_800))
        #expect(evaluator.decision(regionCode: "US", zoneIDs: zones)
                == .closed(opensAt: Date(timeIntervalSince1970: 1_781_103_600)))
        #expect(evaluator.decision(regionCode: "US", zoneIDs: ["America/Boise"]).isOpen)
    }
}
