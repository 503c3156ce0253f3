import Foundation
import Testing
@testable import GroupSMSModel

@Suite struct SendWindowParsingTests {
    @Test func readsWindowsAndWritesThemBack() throws {
        let day = try SendWindow(parsing: "08:00-22:00")
        #expect(day.startMinute == 480 && day.endMinute == 1320 && !day.wrapsMidnight)
        #expect(day.description == "08:00-22:00")
        #expect(try SendWindow(parsing: " 8:05 - 21:30 ").description == "08:05-21:30")
        let night = try SendWindow(parsing: "20:00-08:00")
        #expect(night.wrapsMidnight && night.description == "20:00-08:00")
        #expect(try SendWindow(parsing: night.description) == night)
        #expect(try SendWindow(startMinute: 0, endMinute: 1439).description == "00:00-23:59")
    }

    @Test func startIsInclusiveAndEndExclusive() throws {
        let day = try SendWindow(parsing: "08:00-22:00")
        #expect(day.contains(secondOfDay: 8 * 3600))
        #expect(day.contains(secondOfDay: 22 * 3600 - 1))
        #expect(!day.contains(secondOfDay: 22 * 3600))
        #expect(!day.contains(secondOfDay: 8 * 3600 - 1))
        let night = try SendWindow(parsing: "20:00-08:00")
        #expect(night.contains(secondOfDay: 20 * 3600) && night.contains(secondOfDay: 0))
        #expect(night.contains(secondOfDay: 8 * 3600 - 1))
        #expect(!night.contains(secondOfDay: 8 * 3600) && !night.contains(secondOfDay: 20 * 3600 - 1))
    }

    @Test(arguments: [
        ("25:00-08:00", "--send-window \"25:00-08:00\": hours must be 00-23 (the start hour is 25)"),
        ("08:00-24:00", "--send-window \"08:00-24:00\": hours must be 00-23 (the end hour is 24; write midnight as 00:00)"),
        ("08:60-22:00", "--send-window \"08:60-22:00\": minutes must be 00-59 (the start minute is 60)"),
        ("08:00", "--send-window \"08:00\": not a send window"),
        ("8-22", "--send-window \"8-22\": the start time \"8\" is not HH:MM"),
        ("08:00-22:0", "--send-window \"08:00-22:0\": the end time \"22:0\" is not HH:MM"),
        ("０8:00-22:00", "--send-window \"０8:00-22:00\": the start time \"０8:00\" is not HH:MM"),
        ("08:00-22:00-23:00", "--send-window \"08:00-22:00-23:00\": not a send window"),
        ("09:30-09:30", "--send-window \"09:30-09:30\": the window starts and ends at 09:30"),
    ])
    func refusesWhatIsNotAWindow(text: String, message: String) {
        #expect {
            try SendWindow(parsing: text)
        } throws: { error in
            let description = String(describing: error)
            return description.hasPrefix(message) && description.hasSuffix(SendWindowError.advice)
        }
    }

    @Test func errorsNameWhereTheTextCameFrom() {
        #expect(throws: SendWindowError(source: "send_window", text: "7:00-25:00",
                                        problem: .hourOutOfRange(which: "end", hour: 25))) {
            try SendWindowSetting(parsing: "7:00-25:00", source: "send_window")
        }
        #expect(throws: SendWindowError(source: "--send-window", text: " ", problem: .notAWindow)) {
            try SendWindowSetting(parsing: " ")
        }
        #expect(throws: SendWindowError(source: "--send-window", text: "minutes 600-1440",
                                        problem: .hourOutOfRange(which: "end", hour: 24))) {
            try SendWindow(startMinute: 600, endMinute: 1440)
        }
        #expect(throws: SendWindowError(source: "--send-window", text: "minutes -1-60",
                                        problem: .hourOutOfRange(which: "start", hour: -1))) {
            try SendWindow(startMinute: -1, endMinute: 60)
        }
    }

    @Test func settingsRoundTripThroughTheirText() throws {
        let settings: [SendWindowSetting] = [.regionDefaults, .any, .everyNumber(try SendWindow(parsing: "20:00-08:00"))]
        for setting in settings {
            #expect(try SendWindowSetting(parsing: setting.description) == setting)
        }
        #expect(SendWindowSetting.regionDefaults.description == "default")
        #expect(SendWindowSetting.any.description == "any")
        #expect(try SendWindowSetting(parsing: " ANY ") == .any)
        #expect(try SendWindowSetting(parsing: "Default") == .regionDefaults)
        #expect(try SendWindowSetting(parsing: "09:00-21:00").description == "09:00-21:00")
    }

    @Test func regionDefaultsCoverOnlyTheChineseMainlandInShanghaiTime() throws {
        let defaults = SendWindowSetting.regionDefaults
        #expect(defaults.rule(regionCode: "CN", zoneIDs: ["Asia/Urumqi"]) == .chineseMainland)
        #expect(SendWindowRule.chineseMainland.zoneIDs == ["Asia/Shanghai"])
        #expect(SendWindowRule.chineseMainland.window.description == "08:00-22:00")
        for region in ["HK", "MO", "TW", "US", "001"] {
            #expect(defaults.rule(regionCode: region, zoneIDs: ["Asia/Shanghai"]) == nil)
        }
        #expect(SendWindowSetting.any.rule(regionCode: "CN", zoneIDs: ["Asia/Shanghai"]) == nil)
        let night = try SendWindow(parsing: "20:00-08:00")
        #expect(SendWindowSetting.everyNumber(night).rule(regionCode: "CN", zoneIDs: ["Asia/Shanghai"])
                == SendWindowRule(window: night, zoneIDs: ["Asia/Shanghai"]))
    }
}
