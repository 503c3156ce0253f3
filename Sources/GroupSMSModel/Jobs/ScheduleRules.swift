import Foundation

/// The scheduling rules of FAQ 9.4: a scheduled job may be cancelled or rescheduled until five
/// minutes before it starts; once started it cannot be cancelled, only paused.
///
/// "Until five minutes before" is read strictly: at `start - 5 min` exactly the window is
/// already closed, so `start - 5 min - 1 s` is the last whole second that is accepted.
public struct ScheduleRules: Sendable {
    /// How long before the start the cancel/reschedule window closes.
    public let cutoff: TimeInterval
    /// How far in the past a new job's start may lie and still count as "now" (a time typed a
    /// moment ago, or `+0s`); anything older is a mistake, never a reason to send at once.
    public let staleStartTolerance: TimeInterval

    /// The rules with the platform's 5-minute cutoff and a 60 s tolerance for new starts.
    public init(cutoff: TimeInterval = 300, staleStartTolerance: TimeInterval = 60) {
        self.cutoff = cutoff
        self.staleStartTolerance = staleStartTolerance
    }

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

    /// Throws when a new job's `start` (`send --at`, `submit`, a job file read by the daemon)
    /// lies more than `staleStartTolerance` before `now`. Sending at once would surprise whoever
    /// wrote the time, and the job could not be cancelled: to send now, leave the time out.
    public func checkFirstStart(_ start: Date, now: Date) throws(ScheduleError) {
        if start < now.addingTimeInterval(-staleStartTolerance) { throw .staleStart(start: start, now: now) }
    }

    /// What can still be done with `job`, scheduled for `start`, as of `now`: until when it may
    /// be cancelled or rescheduled, or, inside the window, that it no longer may and since when.
    public func changeWindowNote(job: String, start: Date, now: Date) -> String {
        let closes = windowCloses(forStart: start)
        if now < closes {
            return "Cancel or reschedule until \(Self.display(closes)) (5 minutes before it starts)."
        }
        return "It can no longer be cancelled or rescheduled: that ended at \(Self.display(closes)), 5 minutes "
            + "before it starts (FAQ 9.4). Once it runs, `groupsms pause \(job)` stops its unsent part."
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
