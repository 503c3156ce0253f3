import Foundation
import Testing
@testable import GroupSMSModel

/// How times are written back to users (the send-window rules themselves: SendWindows/).
@Suite struct ISOTimeTextTests {
    let parser = ScheduleTimeParser(clock: SystemWallClock())

    @Test func timesAreShownAsUsersTypeThem() throws {
        let date = try parser.parse("2026-12-01T09:00:00+08:00")
        #expect(ISOTimeText.format(date, timeZone: TimeZone(secondsFromGMT: 8 * 3600)!) == "2026-12-01T09:00:00+08:00")
        #expect(ISOTimeText.format(date, timeZone: TimeZone(identifier: "UTC")!) == "2026-12-01T01:00:00Z")
        #expect(ISOTimeText.format(date.addingTimeInterval(0.25), timeZone: TimeZone(identifier: "UTC")!)
                == "2026-12-01T01:00:00.250Z")
    }
}
