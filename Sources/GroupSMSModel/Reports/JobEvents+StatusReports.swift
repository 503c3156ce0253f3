import Foundation

/// A number on the data dir's suppression list: later jobs skip it.
public struct SuppressionEntry: Sendable, Hashable {
    /// E.164.
    public var number: String
    /// The status that put it there (BLACK, REJECTD...) or MANUAL.
    public var code: String
    /// Why, in words.
    public var reason: String
    /// When it was added.
    public var addedAt: Date
    /// The job whose report added it, if any.
    public var sourceJob: JobID?

    /// An entry for `number`.
    public init(number: String, code: String, reason: String, addedAt: Date, sourceJob: JobID? = nil) {
        self.number = number
        self.code = code
        self.reason = reason
        self.addedAt = addedAt
        self.sourceJob = sourceJob
    }
}

/// Kinds of job log entries (an open set: the runner may add its own).
public struct JobEventKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The kind's name as stored.
    public let rawValue: String
    /// A kind named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// "created" entries.
    public static let created = JobEventKind(rawValue: "created")
    /// "rescheduled" entries.
    public static let rescheduled = JobEventKind(rawValue: "rescheduled")
    /// "cancelled" entries.
    public static let cancelled = JobEventKind(rawValue: "cancelled")
    /// "started" entries.
    public static let started = JobEventKind(rawValue: "started")
    /// "paused" entries.
    public static let paused = JobEventKind(rawValue: "paused")
    /// "resumed" entries.
    public static let resumed = JobEventKind(rawValue: "resumed")
    /// "recovered" entries.
    public static let recovered = JobEventKind(rawValue: "recovered")
    /// "unconfirmed" entries.
    public static let unconfirmed = JobEventKind(rawValue: "unconfirmed")
    /// "not-sent" entries.
    public static let notSent = JobEventKind(rawValue: "not-sent")
    /// "finished" entries.
    public static let finished = JobEventKind(rawValue: "finished")
    /// "failed" entries.
    public static let failed = JobEventKind(rawValue: "failed")
    /// "info" entries.
    public static let info = JobEventKind(rawValue: "info")
    /// "warning" entries.
    public static let warning = JobEventKind(rawValue: "warning")
}

/// One entry of a job's log.
public struct JobEvent: Sendable, Hashable {
    /// Increasing across the data dir; use it to read only newer entries.
    public var id: Int64
    /// The job.
    public var jobID: JobID
    /// When it was logged.
    public var at: Date
    /// What kind of entry.
    public var kind: JobEventKind
    /// The entry, in words.
    public var message: String

    /// A value with every field given.
    package init(id: Int64, jobID: JobID, at: Date, kind: JobEventKind, message: String) {
        self.id = id
        self.jobID = jobID
        self.at = at
        self.kind = kind
        self.message = message
    }
}

/// A status report as the platform sent it (single form fields, or one entry of a batch).
public struct StatusReport: Sendable, Hashable {
    /// The message the report is about.
    public var smsMsgId: String
    /// DELIVRD, UNDELIV, EXPIRED, REJECTD, ...
    public var status: String
    /// Parts of a long message, and this report's part.
    public var total: Int?
    /// This report's part of a long message.
    public var sequence: Int?
    /// The report's `source`.
    public var source: String?
    /// The platform's time of the status, as sent.
    public var updateTime: String?
    /// The carrier's code, as sent.
    public var orgCode: String?
    /// The `extend` value of the request (a chunk tag).
    public var extend: String?
    /// The report's `to`.
    public var to: String?

    /// A report of `status` for message `smsMsgId`.
    public init(smsMsgId: String, status: String, total: Int? = nil, sequence: Int? = nil, source: String? = nil,
                updateTime: String? = nil, orgCode: String? = nil, extend: String? = nil, to: String? = nil) {
        self.smsMsgId = smsMsgId
        self.status = status
        self.total = total
        self.sequence = sequence
        self.source = source
        self.updateTime = updateTime
        self.orgCode = orgCode
        self.extend = extend
        self.to = to
    }
}

/// A stored status report.
public struct StoredStatusReport: Sendable, Hashable {
    /// The row id.
    public var id: Int64
    /// When it arrived here.
    public var receivedAt: Date
    /// The report as sent.
    public var report: StatusReport
    /// Whether its effect has been applied to the number.
    public var applied: Bool

    /// A value with every field given.
    package init(id: Int64, receivedAt: Date, report: StatusReport, applied: Bool) {
        self.id = id
        self.receivedAt = receivedAt
        self.report = report
        self.applied = applied
    }
}

/// What storing a batch of status reports did.
public struct StatusReportIngest: Sendable, Hashable {
    /// New reports stored.
    public var stored: Int
    /// Reports already stored (same smsMsgId, sequence, status and updateTime), ignored.
    public var duplicates: Int

    /// A value with every field given.
    package init(stored: Int, duplicates: Int) {
        self.stored = stored
        self.duplicates = duplicates
    }
}
