import Foundation
import GroupSMSModel
import Testing
@testable import GroupSMSPhoneNumbers

@Suite struct PhoneNumberZoneLookupTests {
    @Test func numbersGetTheirRegionAndTheZonesLibphonenumberGives() throws {
        let lookup = try PhoneNumberZoneLookup.shared()
        #expect(lookup.zones(ofE164: "+8613912345678") == NumberZones(regionCode: "CN", zoneIDs: ["Asia/Shanghai"]))
        // A UK mobile is not placed by prefix: it gets the country's zones.
        let uk = lookup.zones(ofE164: "+447400123456")
        #expect(uk.regionCode == "GB" && uk.zoneIDs.contains("Europe/London") && uk.zoneIDs.count == 4)
        #expect(lookup.zones(ofE164: "+12125550123").zoneIDs == ["America/New_York"])
        let russia = lookup.zones(ofE164: "+79141234567")
        let country = try PhoneTimeZones.bundled().countryZoneIDs(callingCode: 7)
        #expect(russia.regionCode == "RU" && russia.zoneIDs == country)
        // The non-geographical codes have no zone data: such a number is kept in UTC by the windows.
        #expect(lookup.zones(ofE164: "+80012345678").zoneIDs.isEmpty)
    }

    @Test func lookupsOfAClaimsWorthOfNumbersAreCheap() throws {
        let lookup = try PhoneNumberZoneLookup()
        let numbers = (0..<20_000).map { "+86139" + String(format: "%08d", $0) }
        let started = ContinuousClock.now
        var found = 0
        for number in numbers where lookup.zones(ofE164: number).regionCode == "CN" { found += 1 }
        let elapsed = ContinuousClock.now - started
        print("zone lookups: 20,000 in \(elapsed) (debug build)")
        #expect(found == 20_000)
    }
}
