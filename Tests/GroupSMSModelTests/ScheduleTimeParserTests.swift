import Foundation
import Testing
@testable import GroupSMSModel
import GroupSMSTestSupport

@Suite struct ScheduleTimeParserTests {
    let clock = ManualWallClock(start: Date(timeIntervalSince1970: 1_796_083_200))  // 2026-12-01T00:00:00Z
    var parser: ScheduleTimeParser { ScheduleTimeParser(clock: clock) }

    @Test func absoluteTimesWithOffsets() throws {
        #expect(try parser.parse("2026-12-01T09:00:00+08:00") == Date(timeIntervalSince1970: 1_796_083_200 + 3600))
        #expect(try parser.parse("2026-12-01T01:00:00Z") == Date(timeIntervalSince1970: 1_796_083_200 + 3600))
        #expect(try parser.parse("2026-11-30T20:00:00-0500") == Date(timeIntervalSince1970: 1_796_083_200 + 3600))
        #expect(try parser.parse("2024-02-29T00:00:00.250Z") == Date(timeIntervalSince1970: 1_709_164_800.25))
        #expect(try parser.parse(" 2026-12-01T01:00:00+00:00 ") == Date(timeIntervalSince1970: 1_796_083_200 + 3600))
    }

    @Test func relativeTimesCountFromTheClock() throws {
        #expect(try parser.parse("+90s") == clock.now().addingTimeInterval(90))
        #expect(try parser.parse("+10m") == clock.now().addingTimeInterval(600))
        #expect(try parser.parse("+2h") == clock.now().addingTimeInterval(7200))
        clock.advance(by: 30)
        #expect(try parser.parse("+90s") == Date(timeIntervalSince1970: 1_796_083_200 + 120))
    }

    @Test(arguments: [
        ("2026-12-01T09:00:00", "no UTC offset"),
        ("2026-12-01 09:00:00+08:00", "'T'"),
        ("2026-13-01T09:00:00Z", "month 13"),
        ("2026-02-29T09:00:00Z", "day 29"),
        ("2026-12-01T24:00:00Z", "out of range"),
        ("2026-12-01T09:00Z", "seconds"),
        ("2026-12-01T09:00:00+08:00x", "after the offset"),
        ("tomorrow", "year"),
        ("+10", "s, m or h"),
        ("+1.5h", "whole number"),
        ("+m", "whole number"),
        ("", "empty"),
    ])
    func unreadableTimesSayWhy(text: String, fragment: String) {
        #expect(throws: ScheduleError.self) { try parser.parse(text) }
        do {
            _ = try parser.parse(text)
        } catch {
            #expect(error.description.contains(fragment), "\(error.description)")
            #expect(error.description.contains("+08:00"), "the message shows an accepted form")
        }
    }

    @Test func durations() throws {
        #expect(try ScheduleTimeParser.parseDuration("60m") == 3600)
        #expect(try ScheduleTimeParser.parseDuration("90s") == 90)
        #expect(try ScheduleTimeParser.parseDuration("2h") == 7200)
        #expect(throws: ScheduleError.self) { try ScheduleTimeParser.parseDuration("60") }
        #expect(throws: ScheduleError.self) { try ScheduleTimeParser.parseDuration("-5m") }
    }
}
