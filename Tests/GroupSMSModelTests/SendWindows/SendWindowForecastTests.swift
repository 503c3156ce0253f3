import Foundation
import Testing
@testable import GroupSMSModel

@Suite struct SendWindowForecastTests {
    typealias Kit = SendWindowTestKit

    static let numbers = (0..<3).map { "+8613912345\(670 + $0)" } + ["+447700900123", "+12125550123"]

    @Test func aStartAtNightInBeijingPostponesTheMainlandNumbersUntilEight() throws {
        let start = try Kit.instant("2026-12-01T23:00:00+08:00")
        let forecast = SendWindowForecast(numbers: Self.numbers, setting: .regionDefaults, start: start, zones: nil)
        #expect(forecast.numbers == 5 && forecast.postponed == 3)
        #expect(forecast.firstOpening == (try Kit.instant("2026-12-02T08:00:00+08:00")))
        #expect(forecast.lastOpening == forecast.firstOpening)
        #expect(forecast.warning == "the start 2026-12-01T15:00:00Z is outside the send window of 3 of 5 numbers "
                + "(default: Chinese mainland numbers 08:00-22:00 Beijing time (Asia/Shanghai), other numbers at any "
                + "hour); they are postponed, not dropped, and go at 2026-12-02T00:00:00Z")
        let daytime = SendWindowForecast(numbers: Self.numbers, setting: .regionDefaults,
                                         start: try Kit.instant("2026-12-01T09:00:00+08:00"), zones: nil)
        #expect(daytime.postponed == 0 && daytime.warning == nil)
        #expect(SendWindowForecast(numbers: Self.numbers, setting: .any, start: start, zones: nil).warning == nil)
    }

    @Test func oneWindowInLocalTimeGivesEachZoneItsOwnOpeningAndCountsThoseTooLate() throws {
        let zones = StatedZones(byNumber: [
            "+447700900123": NumberZones(regionCode: "GB", zoneIDs: ["Europe/London"]),
            "+12125550123": NumberZones(regionCode: "US", zoneIDs: ["America/New_York"]),
        ].merging(Self.numbers.prefix(3).map { ($0, NumberZones(regionCode: "CN", zoneIDs: ["Asia/Shanghai"])) },
                   uniquingKeysWith: { first, _ in first }))
        let office = SendWindowSetting.everyNumber(try SendWindow(parsing: "09:00-17:00"))
        // 03:00Z: 11:00 in Beijing (open), 03:00 in London, 22:00 in New York.
        let start = try Kit.instant("2026-12-01T03:00:00Z")
        let forecast = SendWindowForecast(numbers: Self.numbers, setting: office,
                                          sendBy: try Kit.instant("2026-12-01T12:00:00Z"), start: start, zones: zones)
        #expect(forecast.postponed == 2)
        #expect(forecast.firstOpening == (try Kit.instant("2026-12-01T09:00:00Z")))
        #expect(forecast.lastOpening == (try Kit.instant("2026-12-01T14:00:00Z")))
        #expect(forecast.pastDeadline == 1)
        #expect(forecast.warning?.hasSuffix("and go from 2026-12-01T09:00:00Z to 2026-12-01T14:00:00Z as their "
                                            + "windows open; 1 numbers' windows open only after --send-by "
                                            + "2026-12-01T12:00:00Z, so they will fail then (retryable SEND_WINDOW)") == true)
        let json = String(decoding: try JSONEncoder().encode(forecast), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["window"] as? String == "09:00-17:00" && object["postponed"] as? Int == 2)
        #expect(object["firstOpening"] as? String == "2026-12-01T09:00:00Z" && object["pastDeadline"] as? Int == 1)
        #expect(object["sendBy"] as? String == "2026-12-01T12:00:00Z" && object["warning"] is String)
    }
}
