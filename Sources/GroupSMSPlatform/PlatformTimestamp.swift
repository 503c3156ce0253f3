import Foundation

/// The UTC time formats of the Message & SMS API, to the second.
///
/// Formatted by hand from `gmtime_r` because the formats are fixed, the hot path signs every
/// request, and `DateFormatter` is neither cheap nor safe to share across threads.
public enum PlatformTimestamp {
    /// `yyyy-MM-dd'T'HH:mm:ss'Z'`: X-WSSE `Created`, `createTime`, report `updateTime`.
    public static func iso(_ date: Date) -> String {
        let t = utcFields(date)
        return "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))T\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2))Z"
    }

    /// `yyyyMMdd'T'HHmmss'Z'`: the AK/SK `X-Sdk-Date` header.
    public static func compact(_ date: Date) -> String {
        let t = utcFields(date)
        return "\(pad(t.year, 4))\(pad(t.month, 2))\(pad(t.day, 2))T\(pad(t.hour, 2))\(pad(t.minute, 2))\(pad(t.second, 2))Z"
    }

    /// Parses `yyyy-MM-ddTHH:mm:ssZ`; nil when the text has another shape.
    public static func parseISO(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        return parseFields(bytes, [(0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2)])
    }

    /// Parses `yyyyMMddTHHmmssZ`; nil when the text has another shape.
    public static func parseCompact(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        return parseFields(bytes, [(0, 4), (4, 2), (6, 2), (9, 2), (11, 2), (13, 2)])
    }

    private struct Fields { var year, month, day, hour, minute, second: Int }

    private static func utcFields(_ date: Date) -> Fields {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return Fields(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                      hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec))
    }

    private static func parseFields(_ bytes: [UInt8], _ ranges: [(Int, Int)]) -> Date? {
        var values: [Int] = []
        for (start, length) in ranges {
            var value = 0
            for byte in bytes[start..<start + length] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            values.append(value)
        }
        guard (1...12).contains(values[1]), (1...31).contains(values[2]), values[3] < 24,
              values[4] < 60, values[5] < 61 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(values[0] - 1900)
        parts.tm_mon = Int32(values[1] - 1)
        parts.tm_mday = Int32(values[2])
        parts.tm_hour = Int32(values[3])
        parts.tm_min = Int32(values[4])
        parts.tm_sec = Int32(values[5])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
