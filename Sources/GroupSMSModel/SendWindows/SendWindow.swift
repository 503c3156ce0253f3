/// A daily window of local time in which a number may be sent to, `HH:MM-HH:MM`.
///
/// The start is inclusive and the end exclusive: `08:00-22:00` is open at 21:59:59 and closed
/// at 22:00:00. A window whose end is before its start wraps midnight: `20:00-08:00` is open
/// from 20:00 to 08:00 the next morning. Start equal to end is refused, because it could mean
/// "always" (that is `any`) or "never" (which would hold every number forever).
///
/// Openness depends only on the local clock reading: on a day whose clocks jump over the start
/// (a spring-forward gap) the window opens at the first local time after the gap, and in a
/// repeated hour (fall-back) the clock reading decides again.
public struct SendWindow: Sendable, Hashable, CustomStringConvertible {
    /// Seconds in a day of local clock time.
    public static let secondsPerDay = 86_400

    /// Minutes after local midnight at which the window opens, 0..<1440.
    public let startMinute: Int
    /// Minutes after local midnight at which the window closes (exclusive), 0..<1440.
    public let endMinute: Int

    /// The Chinese mainland default: 08:00-22:00 (Message & SMS FAQ 12.1).
    public static let chineseMainland = SendWindow(checkedStart: 8 * 60, end: 22 * 60)

    /// A window from `startMinute` to `endMinute` after local midnight.
    public init(startMinute: Int, endMinute: Int, source: String = "--send-window") throws(SendWindowError) {
        let text = "minutes \(startMinute)-\(endMinute)"
        for (which, minute) in [("start", startMinute), ("end", endMinute)] {
            guard (0..<24 * 60).contains(minute) else {
                let hour = minute < 0 ? (minute - 59) / 60 : minute / 60
                throw SendWindowError(source: source, text: text, problem: .hourOutOfRange(which: which, hour: hour))
            }
        }
        guard startMinute != endMinute else {
            throw SendWindowError(source: source, text: text, problem: .emptyWindow(time: Self.clock(startMinute)))
        }
        self.init(checkedStart: startMinute, end: endMinute)
    }

    /// Reads `HH:MM-HH:MM` (a one-digit hour is accepted; spaces around the parts are ignored).
    public init(parsing text: String, source: String = "--send-window") throws(SendWindowError) {
        func fail(_ problem: SendWindowError.Problem) -> SendWindowError {
            SendWindowError(source: source, text: text, problem: problem)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw fail(.notAWindow) }
        let start = try Self.minute(of: parts[0], which: "start", fail: fail)
        let end = try Self.minute(of: parts[1], which: "end", fail: fail)
        guard start != end else { throw fail(.emptyWindow(time: Self.clock(start))) }
        self.init(checkedStart: start, end: end)
    }

    private init(checkedStart start: Int, end: Int) {
        startMinute = start
        endMinute = end
    }

    /// Whether the window runs past midnight (its end is earlier in the day than its start).
    public var wrapsMidnight: Bool { endMinute < startMinute }

    /// Whether a local clock reading, in seconds after local midnight, is inside the window.
    public func contains(secondOfDay second: Int) -> Bool {
        let start = startMinute * 60, end = endMinute * 60
        return wrapsMidnight ? (second >= start || second < end) : (second >= start && second < end)
    }

    /// `08:00-22:00`; `init(parsing:)` reads it back.
    public var description: String { "\(Self.clock(startMinute))-\(Self.clock(endMinute))" }

    private static func clock(_ minute: Int) -> String {
        let hours = minute / 60, minutes = minute % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }

    private static func minute(of part: Substring, which: String,
                               fail: (SendWindowError.Problem) -> SendWindowError) throws(SendWindowError) -> Int {
        let time = part.trimmingSpaces
        let fields = time.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2, (1...2).contains(fields[0].count), fields[1].count == 2,
              fields.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let hour = Int(fields[0]), let minute = Int(fields[1]) else {
            throw fail(.unreadableTime(which: which, time: String(time)))
        }
        guard hour < 24 else { throw fail(.hourOutOfRange(which: which, hour: hour)) }
        guard minute < 60 else { throw fail(.minuteOutOfRange(which: which, minute: minute)) }
        return hour * 60 + minute
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
