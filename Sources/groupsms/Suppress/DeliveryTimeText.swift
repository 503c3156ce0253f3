import Foundation

/// Times as the delivery commands (rerun, suppress) print them: ISO 8601 in UTC, whole seconds.
enum DeliveryTimeText {
    /// `2026-12-01T09:00:00Z`.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
