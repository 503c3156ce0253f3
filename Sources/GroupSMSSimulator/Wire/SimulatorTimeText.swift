import Foundation

/// The platform's two UTC time formats, written and read strictly (to the second, `Z` only).
enum SimulatorTimeText {
    private static let isoStyle = Date.ISO8601FormatStyle()
    private static let compactStyle = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted)

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'`: createTime, updateTime, X-WSSE Created.
    static func iso(_ date: Date) -> String { date.formatted(isoStyle) }

    /// Reads `yyyy-MM-ddTHH:mm:ssZ` and nothing else (no fraction, no offset).
    static func parseISO(_ text: String) -> Date? {
        guard text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/) != nil else { return nil }
        return try? isoStyle.parse(text)
    }

    /// Reads the AK/SK `X-Sdk-Date`, `yyyyMMddTHHmmssZ`, and nothing else.
    static func parseCompact(_ text: String) -> Date? {
        guard text.wholeMatch(of: /[0-9]{8}T[0-9]{6}Z/) != nil else { return nil }
        return try? compactStyle.parse(text)
    }
}
