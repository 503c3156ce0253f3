import Foundation
import Testing
@testable import GroupSMSModel

@Suite struct SendWindowDecisionTests {
    typealias Kit = SendWindowTestKit

    func decide(_ setting: SendWindowSetting, _ region: String, _ zones: [String], _ iso: String) throws -> SendWindowDecision {
        SendWindowSchedule.decision(setting: setting, regionCode: region, zoneIDs: zones, at: try Kit.instant(iso))
    }

    @Test func chineseMainlandDefaultClosesAtTwentyTwoBeijingTime() throws {
        let open = try decide(.regionDefaults, "CN", ["Asia/Shanghai"], "2026-12-01T21:59:59+08:00")
        #expect(open == .open(closesAt: try Kit.instant("2026-12-01T22:00:00+08:00")))
        let closed = try decide(.regionDefaults, "CN", ["Asia/Shanghai"], "2026-12-01T22:00:00+08:00")
        #expect(closed == .closed(opensAt: try Kit.instant("2026-12-02T08:00:00+08:00")))
        // Other zone data does not move the Chinese mainland window.
        #expect(try decide(.regionDefaults, "CN", ["America/New_York"], "2026-12-01T22:00:00+08:00") == closed)
        #expect(try decide(.regionDefaults, "CN", [], "2026-12-01T07:59:59+08:00")
                == .closed(opensAt: try Kit.instant("2026-12-01T08:00:00+08:00")))
    }

    @Test func otherRegionsHaveNoDefaultWindowAndAnyTurnsWindowsOff() throws {
        #expect(try decide(.regionDefaults, "US", ["America/New_York"], "2026-12-01T03:00:00-05:00") == .open(closesAt: nil))
        #expect(try decide(.regionDefaults, "HK", ["Asia/Hong_Kong"], "2026-12-01T23:00:00+08:00") == .open(closesAt: nil))
        #expect(try decide(.any, "CN", ["Asia/Shanghai"], "2026-12-01T23:00:00+08:00") == .open(closesAt: nil))
    }

    @Test func aWindowThatWrapsMidnightIsOpenOnlyAtNight() throws {
        let night = SendWindowSetting.everyNumber(try SendWindow(parsing: "20:00-08:00"))
        let zones = ["Asia/Tokyo"]
        #expect(try decide(night, "JP", zones, "2026-06-10T19:59:59+09:00")
                == .closed(opensAt: try Kit.instant("2026-06-10T20:00:00+09:00")))
        #expect(try decide(night, "JP", zones, "2026-06-10T23:30:00+09:00")
                == .open(closesAt: try Kit.instant("2026-06-11T08:00:00+09:00")))
        #expect(try decide(night, "JP", zones, "2026-06-11T07:59:59+09:00")
                == .open(closesAt: try Kit.instant("2026-06-11T08:00:00+09:00")))
        #expect(try decide(night, "JP", zones, "2026-06-11T08:00:00+09:00")
                == .closed(opensAt: try Kit.instant("2026-06-11T20:00:00+09:00")))
    }

    @Test func eightOClockStaysEightOClockAcrossDaylightSavingChanges() throws {
        let day = SendWindowSetting.everyNumber(try SendWindow(parsing: "08:00-20:00"))
        let ny = ["America/New_York"]
        // Spring forward on 2026-03-08: 08:00 EST is 13:00Z the day before, 08:00 EDT is 12:00Z.
        #expect(try decide(day, "US", ny, "2026-03-07T06:00:00-05:00")
                == .closed(opensAt: try Kit.instant("2026-03-07T13:00:00Z")))
        #expect(try decide(day, "US", ny, "2026-03-07T21:00:00-05:00")
                == .closed(opensAt: try Kit.instant("2026-03-08T12:00:00Z")))
        #expect(try decide(day, "US", ny, "2026-03-08T12:00:00Z")
                == .open(closesAt: try Kit.instant("2026-03-09T00:00:00Z")))
        // Fall back on 2026-11-01: 08:00 EDT is 12:00Z the day before, 08:00 EST is 13:00Z.
        #expect(try decide(day, "US", ny, "2026-10-31T07:00:00-04:00")
                == .closed(opensAt: try Kit.instant("2026-10-31T12:00:00Z")))
        #expect(try decide(day, "US", ny, "2026-10-31T21:00:00-04:00")
                == .closed(opensAt: try Kit.instant("2026-11-01T13:00:00Z")))
        #expect(try decide(day, "US", ny, "2026-11-01T12:59:59Z")
                == .closed(opensAt: try Kit.instant("2026-11-01T13:00:00Z")))
        // The same openings, as Calendar puts 08:00 New York time.
        #expect(try decide(day, "US", ny, "2026-03-07T21:00:00-05:00").opensAt == (try Kit.local("America/New_York", 2026, 3, 8, 8)))
        #expect(try decide(day, "US", ny, "2026-10-31T21:00:00-04:00").opensAt == (try Kit.local("America/New_York", 2026, 11, 1, 8)))
    }

    @Test func aSpringForwardGapOpensAtTheFirstLocalTimeAfterIt() throws {
        // 02:30 does not exist in New York on 2026-03-08: clocks go from 01:59:59 EST to 03:00 EDT.
        let early = SendWindowSetting.everyNumber(try SendWindow(parsing: "02:30-05:00"))
        #expect(try decide(early, "US", ["America/New_York"], "2026-03-08T01:00:00-05:00")
                == .closed(opensAt: try Kit.instant("2026-03-08T03:00:00-04:00")))
    }

    @Test func aRepeatedHourIsJudgedByTheClockReadingAgain() throws {
        // On 2026-11-01 New York reads 01:00-01:59 twice (EDT, then EST from 06:00Z).
        let small = SendWindowSetting.everyNumber(try SendWindow(parsing: "01:15-01:45"))
        #expect(try decide(small, "US", ["America/New_York"], "2026-11-01T01:20:00-04:00")
                == .open(closesAt: try Kit.instant("2026-11-01T01:45:00-04:00")))
        #expect(try decide(small, "US", ["America/New_York"], "2026-11-01T01:50:00-04:00")
                == .closed(opensAt: try Kit.instant("2026-11-01T01:15:00-05:00")))
    }

    @Test func aNumberWithSeveralZonesIsOpenOnlyWhenAllAreOpen() throws {
        // +1 208 330: libphonenumber gives America/Boise and America/Los_Angeles (Idaho).
        let day = SendWindowSetting.everyNumber(try SendWindow(parsing: "08:00-20:00"))
        let idaho = ["America/Boise", "America/Los_Angeles"]
        // 08:30 in Boise is 07:30 in Los Angeles: closed until 08:00 there (09:00 in Boise).
        #expect(try decide(day, "US", idaho, "2026-06-10T08:30:00-06:00")
                == .closed(opensAt: try Kit.instant("2026-06-10T08:00:00-07:00")))
        // Open from then until 20:00 in Boise (19:00 in Los Angeles).
        #expect(try decide(day, "US", idaho, "2026-06-10T12:00:00-06:00")
                == .open(closesAt: try Kit.instant("2026-06-10T20:00:00-06:00")))
        #expect(try decide(day, "US", idaho, "2026-06-10T19:30:00-07:00")
                == .closed(opensAt: try Kit.instant("2026-06-11T08:00:00-07:00")))
    }

    @Test func zonesWhoseWindowsNeverOverlapNeverOpen() throws {
        // Moscow (UTC+3) and Kamchatka (UTC+12): 09:00-10:00 is 06:00Z and 21:00Z.
        let hour = SendWindowSetting.everyNumber(try SendWindow(parsing: "09:00-10:00"))
        #expect(try decide(hour, "RU", ["Europe/Moscow", "Asia/Kamchatka"], "2026-06-10T12:00:00Z") == .neverOpens)
        #expect(try decide(hour, "RU", ["Europe/Moscow"], "2026-06-10T12:00:00Z")
                == .closed(opensAt: try Kit.instant("2026-06-11T09:00:00+03:00")))
    }

    @Test func unknownZonesAreLeftOutAndNoZoneMeansUTC() throws {
        let day = SendWindowSetting.everyNumber(try SendWindow(parsing: "08:00-20:00"))
        let at = "2026-06-10T07:00:00+09:00"
        let tokyo = try decide(day, "JP", ["Asia/Tokyo"], at)
        #expect(try decide(day, "JP", ["Mars/Olympus_Mons", "Asia/Tokyo"], at) == tokyo)
        let utc = try decide(day, "001", ["UTC"], at)
        #expect(utc == .closed(opensAt: try Kit.instant("2026-06-10T08:00:00Z")))
        #expect(try decide(day, "001", [], at) == utc)
        #expect(try decide(day, "001", ["Mars/Olympus_Mons"], at) == utc)
        #expect(try decide(day, "JP", ["Asia/Tokyo", "Asia/Tokyo"], at) == tokyo)
    }
}
