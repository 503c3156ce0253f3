import Foundation

/// The scheduling rules of FAQ 9.4: a scheduled job may be cancelled or rescheduled until five
/// minutes before it starts; once started it cannot be cancelled, only paused.
///
/// "Until five minutes before" is read strictly: at `start - 5 min` exactly the window is
/// already closed, so `start - 5 min - 1 s` is the last whole second that is accepted.
public struct ScheduleRules: Sendable {
    /// How long before the start the cancel/reschedule window closes.
    public let cutoff: TimeInterval

    /// The rules with the platform's 5-minute cutoff.
    public init(cutoff: TimeInterval = 300) { self.cutoff = cutoff }

    /// The instant from which cancel and reschedule are refused for a job starting at `start`.
    public func windowCloses(forStart start: Date) -> Date { start.addingTimeInterval(-cutoff) }

    /// Throws unless a job in `state` starting at `start` may be cancelled at `now`.
    public func checkCancel(job: String, state: JobState, start: Date, now: Date) throws(ScheduleError) {
        try checkWindow(action: "cancel", job: job, state: state, start: start, now: now)
    }

    /// Throws unless a job in `state` starting at `start` may be moved to `newStart` at `now`.
    /// The new start must not be in the past.
    public func checkReschedule(job: String, state: JobState, start: Date, newStart: Date, now: Date) throws(ScheduleError) {
        try checkWindow(action: "reschedule", job: job, state: state, start: start, now: now)
        try checkNewStart(newStart, now: now)
    }

    /// Throws when `start` has already passed (a start of exactly `now` is accepted).
    public func checkNewStart(_ start: Date, now: Date) throws(ScheduleError) {
        if start < now { throw .startInPast(start: start, now: now) }
    }

    private func checkWindow(action: String, job: String, state: JobState, start: Date, now: Date) throws(ScheduleError) {
        guard state == .scheduled else { throw .alreadyStarted(action: action, job: job, state: state) }
        let closes = windowCloses(forStart: start)
        guard now < closes else { throw .windowClosed(action: action, job: job, start: start, closedAt: closes) }
    }

    /// A time as users read it in messages: ISO 8601 in this machine's time zone, with offset.
    static func display(_ date: Date) -> String {
        ISOTimeText.format(date, timeZone: .current)
    }
}
