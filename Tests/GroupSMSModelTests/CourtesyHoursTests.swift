import Foundation
import Testing
@testable import GroupSMSModel

@Suite struct CourtesyHoursTests {
    let parser = ScheduleTimeParser(clock: SystemWallClock())

    @Test func chineseMainlandWindowIsEightToTwentyTwoBeijingTime() throws {
        let hours = CourtesyHours.chineseMainland
        #expect(hours.allows(try parser.parse("2026-12-01T08:00:00+08:00")))
        #expect(hours.allows(try parser.parse("2026-12-01T21:59:59+08:00")))
        #expect(!hours.allows(try parser.parse("2026-12-01T22:00:00+08:00")))
        #expect(!hours.allows(try parser.parse("2026-12-01T07:59:59+08:00")))
        // 23:30 UTC is 07:30 the next morning in Beijing.
        #expect(!hours.allows(try parser.parse("2026-11-30T23:30:00Z")))
    }

    @Test func nextAllowedIsTheNextOpening() throws {
        let hours = CourtesyHours.chineseMainland
        let inside = try parser.parse("2026-12-01T12:00:00+08:00")
        #expect(hours.nextAllowed(from: inside) == inside)
        #expect(hours.nextAllowed(from: try parser.parse("2026-12-01T23:15:00+08:00"))
                == (try parser.parse("2026-12-02T08:00:00+08:00")))
        #expect(hours.nextAllowed(from: try parser.parse("2026-12-01T03:00:00+08:00"))
                == (try parser.parse("2026-12-01T08:00:00+08:00")))
        #expect(CourtesyHours.chineseMainlandPromotional.nextAllowed(from: try parser.parse("2026-12-01T20:00:00+08:00"))
                == (try parser.parse("2026-12-02T08:00:00+08:00")))
        #expect(CourtesyHours.appliesToChineseMainland("+8613112345678"))
        #expect(!CourtesyHours.appliesToChineseMainland("+447700900123"))
    }

    @Test func timesAreShownAsUsersTypeThem() throws {
        let date = try parser.parse("2026-12-01T09:00:00+08:00")
        #expect(ISOTimeText.format(date, timeZone: TimeZone(secondsFromGMT: 8 * 3600)!) == "2026-12-01T09:00:00+08:00")
        #expect(ISOTimeText.format(date, timeZone: TimeZone(identifier: "UTC")!) == "2026-12-01T01:00:00Z")
        #expect(ISOTimeText.format(date.addingTimeInterval(0.25), timeZone: TimeZone(identifier: "UTC")!)
                == "2026-12-01T01:00:00.250Z")
    }
}
