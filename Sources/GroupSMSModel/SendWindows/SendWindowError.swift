/// A send window (`--send-window`, a job file's `send_window`, or a stored job's window) that
/// cannot be read, with a message that says what to write instead.
public struct SendWindowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the text.
    public enum Problem: Sendable, Hashable {
        /// Not `HH:MM-HH:MM`, `default` or `any`.
        case notAWindow
        /// A time that is not `HH:MM` (`which` is "start" or "end").
        case unreadableTime(which: String, time: String)
        /// An hour outside 00-23.
        case hourOutOfRange(which: String, hour: Int)
        /// A minute outside 00-59.
        case minuteOutOfRange(which: String, minute: Int)
        /// Start equal to end: such a window would be either always or never open.
        case emptyWindow(time: String)
    }

    /// Where the text came from, as the user knows it: `--send-window`, `send_window`.
    public let source: String
    /// The text as given.
    public let text: String
    /// What is wrong with it.
    public let problem: Problem

    /// An error about `text` from `source`.
    public init(source: String, text: String, problem: Problem) {
        self.source = source
        self.text = text
        self.problem = problem
    }

    /// `--send-window "25:00-08:00": hours must be 00-23; write ...`.
    public var description: String {
        "\(source) \"\(text)\": \(problemPhrase); \(Self.advice)"
    }

    /// What a valid send window looks like.
    public static let advice = "write HH:MM-HH:MM in the recipient's local time (such as 08:00-22:00, "
        + "or 20:00-08:00 for the night), `default` for the regional defaults (Chinese mainland "
        + "numbers 08:00-22:00 Beijing time), or `any` for no window"

    private var problemPhrase: String {
        switch problem {
        case .notAWindow:
            return "not a send window"
        case .unreadableTime(let which, let time):
            return "the \(which) time \"\(time)\" is not HH:MM"
        case .hourOutOfRange(let which, let hour):
            return "hours must be 00-23 (the \(which) hour is \(hour)\(hour == 24 ? "; write midnight as 00:00" : ""))"
        case .minuteOutOfRange(let which, let minute):
            return "minutes must be 00-59 (the \(which) minute is \(minute))"
        case .emptyWindow(let time):
            return "the window starts and ends at \(time), so it would never close (use `any`) or never open"
        }
    }
}
