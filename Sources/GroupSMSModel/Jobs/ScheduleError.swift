import Foundation

/// A refused time or schedule change, with a message that says what to do instead.
public enum ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--at` (or a job file's `at`) could not be read; `problem` says why.
    case unreadableTime(text: String, problem: String)
    /// A duration such as `--max-defer 60m` could not be read.
    case unreadableDuration(text: String, problem: String)
    /// A start time that has already passed.
    case startInPast(start: Date, now: Date)
    /// A new job's start more than a minute in the past (`send --at`, a job file's `at`).
    case staleStart(start: Date, now: Date)
    /// `cancel`/`reschedule` after the 5-minute window closed (FAQ 9.4).
    case windowClosed(action: String, job: String, start: Date, closedAt: Date)
    /// `cancel`/`reschedule` of a job that is no longer scheduled.
    case alreadyStarted(action: String, job: String, state: JobState)

    public var description: String {
        switch self {
        case .unreadableTime(let text, let problem):
            return "cannot read the time '\(text)': \(problem). Use ISO 8601 with an offset, "
                + "such as 2026-12-01T09:00:00+08:00, or a relative time such as +90s, +10m or +2h"
        case .unreadableDuration(let text, let problem):
            return "cannot read the duration '\(text)': \(problem). Use a number with s, m or h, such as 90s, 10m or 2h"
        case .startInPast(let start, let now):
            return "the start time \(ScheduleRules.display(start)) has already passed (now \(ScheduleRules.display(now))); "
                + "give a future time or a relative one such as +10m"
        case .staleStart(let start, let now):
            return "the start time \(ScheduleRules.display(start)) is more than a minute in the past "
                + "(now \(ScheduleRules.display(now))); to send now, leave `at` out; to schedule, give a future time "
                + "or a relative one such as +10m"
        case .windowClosed(let action, let job, let start, let closedAt):
            return "cannot \(action) \(job): it starts at \(ScheduleRules.display(start)) and the window for "
                + "cancelling or rescheduling closed at \(ScheduleRules.display(closedAt)). A scheduled job can only be "
                + "cancelled or rescheduled until 5 minutes before it starts (the 5-minute rule, Message & SMS FAQ 9.4). "
                + "Once it runs you can pause it with `groupsms pause \(job)`"
        case .alreadyStarted(let action, let job, let state):
            let advice = state == .running || state == .paused
                ? "a started job cannot be cancelled (FAQ 9.4); use `groupsms pause \(job)` to stop its unsent part"
                : "the job is over"
            return "cannot \(action) \(job): it is \(state.rawValue); \(advice)"
        }
    }
}
