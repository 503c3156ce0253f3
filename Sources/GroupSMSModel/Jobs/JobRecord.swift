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
public struct JobDraft: Sendable {
    /// The name the user gave.
    public var name: String
    /// Recipient file paths, referred to by `NumberDraft.fileIndex`.
    public var sourceFiles: [String]
    /// The template id.
    public var templateID: String
    /// templateParas, in order.
    public var params: [String]
    /// The signature name, if any.
    public var signature: String?
    /// The channel number (`from`).
    public var from: String
    /// The API endpoint URL; never credentials.
    public var endpoint: String?
    /// The status report callback URL, if any.
    public var statusCallback: String?
    /// The region assumed for numbers without a country code.
    public var defaultCountry: String
    /// The start; nil means now.
    public var scheduledAt: Date?
    /// Numbers per second, 1...500.
    public var rate: Int
    /// Longest frequency-limit deferral before LOCAL_LIMIT, in seconds.
    public var maxDefer: TimeInterval
    /// The job this one re-runs.
    public var rerunOf: JobID?
    /// The numbers, deduplicated, in first-seen order.
    public var numbers: [NumberDraft]
    /// Invalid import entries.
    public var rejected: [RejectedEntryDraft]

    /// A draft with the defaults of `send` (rate 500, max-defer 60 min, region CN, start now).
    public init(name: String, templateID: String, from: String, numbers: [NumberDraft],
                params: [String] = [], signature: String? = nil, sourceFiles: [String] = [],
                endpoint: String? = nil, statusCallback: String? = nil, defaultCountry: String = "CN",
                scheduledAt: Date? = nil, rate: Int = 500, maxDefer: TimeInterval = 3600,
                rerunOf: JobID? = nil, rejected: [RejectedEntryDraft] = []) {
        self.name = name
        self.sourceFiles = sourceFiles
        self.templateID = templateID
        self.params = params
        self.signature = signature
        self.from = from
        self.endpoint = endpoint
        self.statusCallback = statusCallback
        self.defaultCountry = defaultCountry
        self.scheduledAt = scheduledAt
        self.rate = rate
        self.maxDefer = maxDefer
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
public struct JobRecord: Sendable, Hashable {
    /// The job id.
    public var id: JobID
    /// The name the user gave.
    public var name: String
    /// Recipient file paths.
    public var sourceFiles: [String]
    /// The template id.
    public var templateID: String
    /// templateParas, in order.
    public var params: [String]
    /// The signature name, if any.
    public var signature: String?
    /// The channel number.
    public var from: String
    /// The API endpoint URL; never credentials.
    public var endpoint: String?
    /// The status report callback URL, if any.
    public var statusCallback: String?
    /// The region assumed for numbers without a country code.
    public var defaultCountry: String
    /// templateId + params + signature, as the frequency limits compare content.
    public var contentKey: String
    /// Numbers per second, 1...500.
    public var rate: Int
    /// Longest frequency-limit deferral before LOCAL_LIMIT, in seconds.
    public var maxDefer: TimeInterval
    /// Where the job is in its life.
    public var state: JobState
    /// When it starts (or started to be due).
    public var scheduledAt: Date
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
    package init(id: JobID, name: String, sourceFiles: [String], templateID: String, params: [String], signature: String? = nil, from: String, endpoint: String? = nil, statusCallback: String? = nil, defaultCountry: String, contentKey: String, rate: Int, maxDefer: TimeInterval, state: JobState, scheduledAt: Date, createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil, runner: RunnerInfo? = nil, rerunOf: JobID? = nil, lastError: String? = nil) {
        self.id = id
        self.name = name
        self.sourceFiles = sourceFiles
        self.templateID = templateID
        self.params = params
        self.signature = signature
        self.from = from
        self.endpoint = endpoint
        self.statusCallback = statusCallback
        self.defaultCountry = defaultCountry
        self.contentKey = contentKey
        self.rate = rate
        self.maxDefer = maxDefer
        self.state = state
        self.scheduledAt = scheduledAt
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.runner = runner
        self.rerunOf = rerunOf
        self.lastError = lastError
    }
}
