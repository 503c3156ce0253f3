/// The life of a job (SPEC §4): scheduled → running → finished, with pause, cancel and failure.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its start time; may be cancelled or rescheduled until 5 minutes before it.
    case scheduled
    /// A runner is sending (or was, and died; `resume` recovers it).
    case running
    /// Stopped by the user or by an account limit; `resume` continues the unsent part.
    case paused
    /// Every number has left the queue (sent, failed or not sent).
    case finished
    /// Cancelled before it started.
    case cancelled
    /// Stopped by a fatal error (authentication, account); its unsent numbers are not-sent.
    case failed

    /// True for states a job never leaves.
    public var isTerminal: Bool { self == .finished || self == .cancelled || self == .failed }

    /// The states this one may move to. Cancel is only possible before the start
    /// (FAQ 9.4: a started task cannot be cancelled), so paused jobs cannot be cancelled.
    public var allowedNextStates: Set<JobState> {
        switch self {
        case .scheduled: [.scheduled, .running, .cancelled]
        case .running: [.paused, .finished, .failed]
        case .paused: [.running, .failed]
        case .finished, .cancelled, .failed: []
        }
    }

    /// Whether moving from this state to `next` is allowed.
    public func canMove(to next: JobState) -> Bool { allowedNextStates.contains(next) }
}

/// Where a number is in its job (SPEC §4).
public enum NumberState: String, Sendable, Codable, CaseIterable {
    /// Not yet sent.
    case pending
    /// Waiting for a frequency limit window; sent again after `deferredUntil`.
    case deferred
    /// In a chunk whose request is in flight (becomes unconfirmed if the runner dies).
    case sending
    /// The platform accepted it (has an smsMsgId); waiting for a status report.
    case accepted
    /// A DELIVRD status report arrived.
    case delivered
    /// Failed, with a class, stage and code.
    case failed
    /// Its request may have reached the platform but no answer was recorded; not resent unless asked.
    case unconfirmed
    /// Never sent because the job stopped (retryable).
    case notSent = "not-sent"
}

/// Why a failed number failed, which decides whether it is ever resent (SPEC §4).
public enum FailureClass: String, Sendable, Codable, CaseIterable {
    /// Not a valid number at import; never resent.
    case invalid
    /// The recipient or a blocklist refuses; never resent, and added to the suppression list.
    case optedOut = "opted-out"
    /// Any other failure, including LOCAL_LIMIT and numbers not sent because the job stopped.
    case retryable
    /// The platform may or may not have it; resent only with `rerun --include-unconfirmed`.
    case unconfirmed
}

/// Where a number's failure happened.
public enum FailureStage: String, Sendable, Codable, CaseIterable {
    /// Reading and normalising the recipient files.
    case `import`
    /// Checks made here before sending: suppression list, frequency limits.
    case local
    /// The platform's answer to the send request.
    case submit
    /// The status report.
    case delivery
}
