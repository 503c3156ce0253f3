import Foundation
import Testing
@testable import GroupSMSModel

/// Instants and local clock readings for send-window tests.
enum SendWindowTestKit {
    /// The instant written in ISO 8601 with an offset, e.g. `2026-03-08T08:00:00-04:00`.
    static func instant(_ text: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return try #require(formatter.date(from: text), "unreadable test instant \(text)")
    }

    /// A gregorian calendar in `zoneID`: the independent reference for local clock readings.
    static func calendar(_ zoneID: String) throws -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zoneID))
        return calendar
    }

    /// The instant at which the clock in `zoneID` reads the given local date and time.
    static func local(_ zoneID: String, _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) throws -> Date {
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        return try #require(try calendar(zoneID).date(from: components))
    }

    /// Whether `window` is open at `instant` in every one of `zoneIDs`, read off Calendar.
    static func openEverywhere(_ window: SendWindow, _ zoneIDs: [String], at instant: Date) throws -> Bool {
        try zoneIDs.allSatisfy { id in
            let parts = try calendar(id).dateComponents([.hour, .minute, .second], from: instant)
            let second = (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0)
            return window.contains(secondOfDay: second)
        }
    }
}
