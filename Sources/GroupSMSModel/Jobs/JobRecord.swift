import Foundation

/// A number to send, as the importer hands it over: E.164 and where it came from.
public struct NumberDraft: Sendable, Hashable {
    /// The number in E.164 (`+` and digits).
    public var e164: String
    /// Index into `JobDraft.sourceFiles`, or nil (e.g. numbers typed on the command line).
    public var fileIndex: Int?
    /// The cell it was read from, e.g. "A17".
    public var cell: String?

    /// A number from `cell` of source file `fileIndex`.
    public init(e164: String, fileIndex: Int? = nil, cell: String? = nil) {
        self.e164 = e164
        self.fileIndex = fileIndex
        self.cell = cell
    }
}

/// An import entry that is not a valid number; stored as failed (class invalid, stage import)
/// so the job's report and failed-number export list it.
public struct RejectedEntryDraft: Sendable, Hashable {
    /// Index into `JobDraft.sourceFiles`.
    public var fileIndex: Int?
    /// The cell, e.g. "A17".
    public var cell: String?
    /// The cell's text as read.
    public var original: String
    /// A short code, e.g. "INVALID_NUMBER".
    public var code: String
    /// The reason the user reads.
    public var description: String

    /// An invalid entry read from `cell` of file `fileIndex`.
    public init(fileIndex: Int?, cell: String?, original: String, code: String = "INVALID_NUMBER", description: String) {
        self.fileIndex = fileIndex
        self.cell = cell
        self.original = original
        self.code = code
        self.description = description
    }
}

/// Everything needed to create a job; `JobStore.createJob` stores it in one transaction.
@dynamicMemberLookup
public struct JobDraft: Sendable, HasJobSettings {
    /// The name the user gave.
    public var name: String
    /// What the job sends and how.
    public var settings: JobSettings
    /// Recipient file paths, referred to by `NumberDraft.fileIndex`.
    public var sourceFiles: [String]
    /// The API endpoint URL; never credentials.
    public var endpoint: String?
    /// The start; nil means now.
    public var scheduledAt: Date?
    /// The deadline (`--send-by`): numbers still waiting then, for their send window or
    /// otherwise, fail as retryable SEND_WINDOW. Nil: no deadline.
    public var sendBy: Date?
    /// The job this one re-runs.
    public var rerunOf: JobID?
    /// The numbers, deduplicated, in first-seen order.
    public var numbers: [NumberDraft]
    /// Invalid import entries.
    public var rejected: [RejectedEntryDraft]
    /// What the job was estimated to send and cost before it was created (SPEC §6).
    public var estimate: Estimate?
    /// Each number's own template values (`--variables columns`, SPEC §7), parallel to
    /// `numbers`; nil for a job whose numbers share `settings.params`.
    public var values: RecipientValues?

    /// A draft of `numbers` with `settings`, starting now unless `scheduledAt` says otherwise.
    public init(name: String, settings: JobSettings, numbers: [NumberDraft], sourceFiles: [String] = [],
                endpoint: String? = nil, scheduledAt: Date? = nil, sendBy: Date? = nil, rerunOf: JobID? = nil,
                rejected: [RejectedEntryDraft] = [], estimate: Estimate? = nil) {
        self.name = name
        self.estimate = estimate
        self.settings = settings
        self.sourceFiles = sourceFiles
        self.endpoint = endpoint
        self.scheduledAt = scheduledAt
        self.sendBy = sendBy
        self.rerunOf = rerunOf
        self.numbers = numbers
        self.rejected = rejected
    }
}

/// Who runs a job: a lease token plus the process, so a second process can tell whether the
/// runner died and a runner can tell whether it still owns the job.
public struct RunnerLease: Sendable, Hashable {
    /// Unique per runner; every chunk write checks it.
    public var token: String
    /// The runner's process id.
    public var pid: Int32
    /// The runner's host name.
    public var host: String

    /// A lease with an explicit identity (tests, or a runner that knows its own).
    public init(token: String = UUID().uuidString, pid: Int32, host: String) {
        self.token = token
        self.pid = pid
        self.host = host
    }

    /// A fresh lease for this process.
    public static func forThisProcess() -> RunnerLease {
        RunnerLease(pid: ProcessInfo.processInfo.processIdentifier, host: ProcessInfo.processInfo.hostName)
    }
}

/// The runner recorded on a job.
public struct RunnerInfo: Sendable, Hashable {
    /// The lease token.
    public var token: String
    /// The runner's process id.
    public var pid: Int32
    /// The runner's host name.
    public var host: String
    /// The runner's last sign of life.
    public var heartbeatAt: Date?

    /// A value with every field given.
    package init(token: String, pid: Int32, host: String, heartbeatAt: Date? = nil) {
        self.token = token
        self.pid = pid
        self.host = host
        self.heartbeatAt = heartbeatAt
    }
}

/// A stored job.
@dynamicMemberLookup
public struct JobRecord: Sendable, Hashable, HasJobSettings {
    /// The job id.
    public var id: JobID
    /// The name the user gave.
    public var name: String
    /// Recipient file paths.
    public var sourceFiles: [String]
    /// What the job sends and how.
    public var settings: JobSettings
    /// The API endpoint URL; never credentials.
    public var endpoint: String?
    /// Where the job is in its life.
    public var state: JobState
    /// When it starts (or started to be due).
    public var scheduledAt: Date
    /// The deadline after which numbers still waiting fail as retryable SEND_WINDOW, if any.
    public var sendBy: Date?
    /// When it was stored.
    public var createdAt: Date
    /// When it first ran.
    public var startedAt: Date?
    /// When it finished, failed or was cancelled.
    public var finishedAt: Date?
    /// The process running it, if one holds the lease.
    public var runner: RunnerInfo?
    /// The job it re-runs, if any.
    public var rerunOf: JobID?
    /// The last fatal or pausing error, for `show`.
    public var lastError: String?

    /// A value with every field given.
    package init(id: JobID, name: String, sourceFiles: [String], settings: JobSettings, endpoint: String?,
                 state: JobState, scheduledAt: Date, createdAt: Date, startedAt: Date? = nil,
                 finishedAt: Date? = nil, runner: RunnerInfo? = nil, rerunOf: JobID? = nil,
                 lastError: String? = nil, sendBy: Date? = nil) {
        self.id = id
        self.name = name
        self.sourceFiles = sourceFiles
        self.settings = settings
        self.endpoint = endpoint
        self.state = state
        self.scheduledAt = scheduledAt
        self.sendBy = sendBy
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.runner = runner
        self.rerunOf = rerunOf
        self.lastError = lastError
    }
}
