import Foundation

/// What one call that stores and applies status reports did.
///
/// `stored + duplicates == received`; of the stored reports, `applied` found their number and
/// `unknown` did not (they are kept, held, and applied if a number later gets their smsMsgId).
/// The number counts say what changed: a duplicate, an interim status or a failure after
/// DELIVRD changes nothing.
public struct StatusReportBatchSummary: Sendable, Hashable, Codable {
    /// Reports in the call.
    public var received = 0
    /// Reports stored for the first time.
    public var stored = 0
    /// Reports already stored (same smsMsgId, sequence, status and updateTime): ignored.
    public var duplicates = 0
    /// New reports applied to their number.
    public var applied = 0
    /// New reports whose smsMsgId no number has: counted for the data dir and held.
    public var unknown = 0
    /// Reports held by earlier calls that this call made applicable (its report confirmed their number).
    public var heldApplied = 0
    /// Unconfirmed numbers confirmed as accepted because a report's `extend` named their chunk.
    public var confirmed = 0
    /// Numbers that became delivered.
    public var delivered = 0
    /// Numbers that became failed (or changed failure code).
    public var failed = 0
    /// Numbers newly put on the suppression list by an opted-out status.
    public var suppressed = 0

    /// All counts zero.
    public init() {}
}

/// The data dir's status-report figures.
public struct StatusReportCounts: Sendable, Hashable, Codable {
    /// Reports ever received for an smsMsgId no number had (the "unknown ID" count).
    public var unknownReceived: Int
    /// Reports held now: stored, not applied, waiting for a number with their smsMsgId.
    public var held: Int

    /// A value with every field given.
    package init(unknownReceived: Int, held: Int) {
        self.unknownReceived = unknownReceived
        self.held = held
    }
}

/// One entry of the data dir's own log (about no single job), e.g. reports for unknown message ids.
public struct DataDirEvent: Sendable, Hashable {
    /// Increasing; use it to read only newer entries.
    public var id: Int64
    /// When it was logged.
    public var at: Date
    /// What kind of entry.
    public var kind: JobEventKind
    /// The entry, in words.
    public var message: String

    /// A value with every field given.
    package init(id: Int64, at: Date, kind: JobEventKind, message: String) {
        self.id = id
        self.at = at
        self.kind = kind
        self.message = message
    }
}

/// What `rerunJob` created.
public struct RerunResult: Sendable, Hashable {
    /// The new job, linked to the original by `rerunOf`.
    public var job: JobRecord
    /// Retryable numbers of the original it holds (failed retryable, LOCAL_LIMIT, EXPIRED, not-sent).
    public var retryable: Int
    /// Unconfirmed numbers it holds (only with `includeUnconfirmed`).
    public var unconfirmed: Int
    /// Numbers it will not send because they are on the suppression list (stored failed, SUPPRESSED).
    public var suppressed: [String]

    /// A value with every field given.
    package init(job: JobRecord, retryable: Int, unconfirmed: Int, suppressed: [String]) {
        self.job = job
        self.retryable = retryable
        self.unconfirmed = unconfirmed
        self.suppressed = suppressed
    }
}

extension JobEventKind {
    /// Numbers confirmed by a status report.
    public static let confirmed = JobEventKind(rawValue: "confirmed")
    /// Numbers that had no report 72 h after acceptance.
    public static let expired = JobEventKind(rawValue: "expired")
    /// Numbers added to the suppression list by opted-out reports.
    public static let suppressed = JobEventKind(rawValue: "suppressed")
    /// A rerun was created from the job.
    public static let rerun = JobEventKind(rawValue: "rerun")
    /// Status reports for message ids no job here has (a data-dir entry).
    public static let unknownReports = JobEventKind(rawValue: "unknown-reports")
}
