import Foundation
import Testing
@testable import GroupSMSModel

/// Zones by number, as a test states them (the real lookup is libphonenumber's, tested in
/// GroupSMSPhoneNumbersTests).
struct StatedZones: NumberZoneLookup {
    var byNumber: [String: NumberZones]
    func zones(ofE164 e164: String) -> NumberZones { byNumber[e164] ?? NumberZones(regionCode: "", zoneIDs: []) }
}

@Suite struct SendWindowGateTests {
    typealias Kit = SendWindowTestKit
    static let cn = "+8613912345678"
    static let gb = "+447700900123"
    static let us = "+12125550123"
    static let idaho = "+12083301234"
    static let zones = StatedZones(byNumber: [
        cn: NumberZones(regionCode: "CN", zoneIDs: ["Asia/Shanghai"]),
        gb: NumberZones(regionCode: "GB", zoneIDs: ["Europe/London"]),
        us: NumberZones(regionCode: "US", zoneIDs: ["America/New_York"]),
        idaho: NumberZones(regionCode: "US", zoneIDs: ["America/Boise", "America/Los_Angeles"]),
    ])

    private func verdict(_ number: String, _ setting: SendWindowSetting, at text: String,
                         sendBy: String? = nil) throws -> SendWindowVerdict {
        var gate = SendWindowGate(setting: setting, sendBy: try sendBy.map(Kit.instant), at: try Kit.instant(text),
                                  zones: Self.zones)
        return gate.verdict(forE164: number)
    }

    private func waitsUntil(_ verdict: SendWindowVerdict) -> Date? {
        if case .wait(let until) = verdict { until } else { nil }
    }

    @Test func chineseMainlandNumbersGoAt215959AndWaitFrom2200UntilEightBeijingTime() throws {
        #expect(try verdict(Self.cn, .regionDefaults, at: "2026-12-01T21:59:59+08:00") == .send)
        let closed = try verdict(Self.cn, .regionDefaults, at: "2026-12-01T22:00:00+08:00")
        #expect(closed == .wait(until: try Kit.instant("2026-12-02T08:00:00+08:00")))
        #expect(try verdict(Self.cn, .regionDefaults, at: "2026-12-02T07:59:59+08:00") == closed)
        #expect(try verdict(Self.cn, .regionDefaults, at: "2026-12-02T08:00:00+08:00") == .send)
        // The default holds other regions to no window; `any` holds nobody.
        #expect(try verdict(Self.gb, .regionDefaults, at: "2026-12-01T22:00:00+08:00") == .send)
        #expect(try verdict(Self.cn, .any, at: "2026-12-01T22:00:00+08:00") == .send)
    }

    @Test func aWindowThatWrapsMidnightOpensInTheEveningAndClosesInTheMorning() throws {
        let night = SendWindowSetting.everyNumber(try SendWindow(parsing: "20:00-08:00"))
        let evening = try verdict(Self.gb, night, at: "2026-12-01T19:59:00Z")
        #expect(waitsUntil(evening) == (try Kit.instant("2026-12-01T20:00:00Z")))
        #expect(try verdict(Self.gb, night, at: "2026-12-01T23:59:59Z") == .send)
        #expect(try verdict(Self.gb, night, at: "2026-12-02T00:00:00Z") == .send)
        #expect(try verdict(Self.gb, night, at: "2026-12-02T07:59:59Z") == .send)
        #expect(waitsUntil(try verdict(Self.gb, night, at: "2026-12-02T08:00:00Z"))
                == (try Kit.instant("2026-12-02T20:00:00Z")))
        // The same window in Beijing time is eight hours earlier in UTC.
        #expect(waitsUntil(try verdict(Self.cn, night, at: "2026-12-02T08:00:00Z"))
                == (try Kit.instant("2026-12-02T12:00:00Z")))
    }

    @Test func usNumbersOpenAtNineLocalTimeEitherSideOfTheDaylightSavingChanges() throws {
        let office = SendWindowSetting.everyNumber(try SendWindow(parsing: "09:00-17:00"))
        // Spring forward on 2026-03-08: Saturday's 09:00 is 14:00Z, Sunday's is 13:00Z.
        #expect(waitsUntil(try verdict(Self.us, office, at: "2026-03-07T08:30:00-05:00"))
                == (try Kit.instant("2026-03-07T14:00:00Z")))
        #expect(waitsUntil(try verdict(Self.us, office, at: "2026-03-07T17:00:00-05:00"))
                == (try Kit.instant("2026-03-08T13:00:00Z")))
        #expect(try verdict(Self.us, office, at: "2026-03-08T13:00:00Z") == .send)
        #expect(try verdict(Self.us, office, at: "2026-03-08T21:00:00Z") != .send)
        // Fall back on 2026-11-01: Saturday's 09:00 is 13:00Z, Sunday's is 14:00Z.
        #expect(waitsUntil(try verdict(Self.us, office, at: "2026-10-31T17:30:00-04:00"))
                == (try Kit.instant("2026-11-01T14:00:00Z")))
        #expect(try verdict(Self.us, office, at: "2026-11-01T13:30:00Z") != .send)
        #expect(try verdict(Self.us, office, at: "2026-11-01T21:59:00Z") == .send)
    }

    @Test func aNumberInTwoZonesGoesOnlyWhenBothAreInside() throws {
        let day = SendWindowSetting.everyNumber(try SendWindow(parsing: "08:00-22:00"))
        // 07:30 in Los Angeles is 08:30 in Boise: open there, closed in Los Angeles.
        let early = try verdict(Self.idaho, day, at: "2026-12-01T07:30:00-08:00")
        #expect(waitsUntil(early) == (try Kit.instant("2026-12-01T08:00:00-08:00")))
        #expect(try verdict(Self.idaho, day, at: "2026-12-01T08:00:00-08:00") == .send)
        // 21:00 in Los Angeles is 22:00 in Boise: closed there.
        #expect(try verdict(Self.idaho, day, at: "2026-12-01T20:59:59-08:00") == .send)
        #expect(waitsUntil(try verdict(Self.idaho, day, at: "2026-12-01T21:00:00-08:00"))
                == (try Kit.instant("2026-12-02T08:00:00-08:00")))
    }

    @Test func theDeadlineCapsTheWaitAndThenFailsEveryNumber() throws {
        let closed = try verdict(Self.cn, .regionDefaults, at: "2026-12-01T23:00:00+08:00", sendBy: "2026-12-02T06:00:00+08:00")
        #expect(closed == .wait(until: try Kit.instant("2026-12-02T06:00:00+08:00")), "the wait ends at the deadline")
        let late = try verdict(Self.gb, .regionDefaults, at: "2026-12-02T06:00:00+08:00", sendBy: "2026-12-02T06:00:00+08:00")
        #expect(late == .expire(description: "not sent by the job's deadline (--send-by 2026-12-01T22:00:00Z); "
                                + "send it again with `groupsms rerun`"))
        // A deadline after the opening leaves the wait as it was.
        #expect(waitsUntil(try verdict(Self.cn, .regionDefaults, at: "2026-12-01T23:00:00+08:00",
                                       sendBy: "2026-12-02T09:00:00+08:00"))
                == (try Kit.instant("2026-12-02T08:00:00+08:00")))
    }

    @Test func zonesThatNeverOverlapWaitForTheLookAheadAndAreDecidedOncePerZoneSet() throws {
        let short = SendWindowSetting.everyNumber(try SendWindow(parsing: "09:00-10:00"))
        let apart = StatedZones(byNumber: ["+70000000001": NumberZones(regionCode: "RU",
                                                                       zoneIDs: ["Europe/Moscow", "Asia/Vladivostok"])])
        let now = try Kit.instant("2026-12-01T12:00:00Z")
        var gate = SendWindowGate(setting: short, sendBy: nil, at: now, zones: apart)
        #expect(gate.verdict(forE164: "+70000000001") == .wait(until: now.addingTimeInterval(8 * 86_400)),
                "decided again after the look-ahead")
        var many = SendWindowGate(setting: .regionDefaults, sendBy: nil, at: now, zones: nil)
        for serial in 0..<1_000 { _ = many.verdict(forE164: "+86139" + String(format: "%08d", serial)) }
        _ = many.verdict(forE164: Self.gb)
        #expect(many.decidedZoneSets == 2)
    }

    @Test func withoutALookupAWindowInLocalTimeKeepsNumbersInUTC() throws {
        let day = SendWindowSetting.everyNumber(try SendWindow(parsing: "08:00-22:00"))
        var gate = SendWindowGate(setting: day, sendBy: nil, at: try Kit.instant("2026-12-01T22:30:00Z"), zones: nil)
        #expect(waitsUntil(gate.verdict(forE164: Self.us)) == (try Kit.instant("2026-12-02T08:00:00Z")))
        #expect(!SendWindowGate(setting: .any, sendBy: nil, at: Date(), zones: nil).isActive)
        #expect(SendWindowGate(setting: .any, sendBy: Date(), at: Date(), zones: nil).isActive)
    }
}
