import Foundation
import GroupSMSModel

/// What became of one content of a job file (a row of the store's jobs-folder index).
public enum FolderIndexOutcome: String, Sendable, Equatable {
    /// The content made the entry's job.
    case submitted
    /// The content could not be read or imported; nothing was submitted.
    case refused
    /// The content came too late to replace the entry's job, which was kept as it was.
    case kept
}

/// One content of a job file the daemon handled: the file's real path and its SHA-256.
public struct FolderIndexEntry: Sendable, Equatable {
    /// The job file's real path (symlinks resolved).
    public var path: String
    /// SHA-256 of the file's bytes, lower-case hex.
    public var digest: String
    /// The job this content made (`submitted`) or left in place (`kept`).
    public var job: JobID?
    /// What became of the content.
    public var outcome: FolderIndexOutcome
    /// True when this is the newest content handled for the path (false: the file went back to
    /// an earlier content).
    public var isLatest: Bool

    /// An entry; `isLatest` true unless said otherwise.
    public init(path: String, digest: String, job: JobID?, outcome: FolderIndexOutcome, isLatest: Bool = true) {
        self.path = path
        self.digest = digest
        self.job = job
        self.outcome = outcome
        self.isLatest = isLatest
    }
}

/// The named instants of a folder pick-up, where tests inject a failure or a `kill -9`.
public enum FolderPickupPoint: String, Sendable, CaseIterable {
    /// The draft is imported; no transaction has begun.
    case beforeTransaction = "before-transaction"
    /// Inside the transaction: the old job is cancelled, the new one and its index row written, not committed.
    case beforeCommit = "before-commit"
    /// Committed; the watcher has not logged or remembered it yet.
    case afterCommit = "after-commit"
}

/// What `submitFolderJob` did.
public enum FolderSubmission: Sendable {
    /// The content made `job`; `replaced` is the earlier job of the file, now cancelled.
    case submitted(JobRecord, replaced: JobID?)
    /// The file's current job could no longer be cancelled; it is kept and the content recorded as `kept`.
    case kept(JobID, reason: String)
    /// The content was already in the index (another process handled it first); nothing changed.
    case alreadyIndexed(FolderIndexEntry)
}

extension JobStore {
    /// The index entry for this content of the file at `path` (a real path), if it was handled.
    public func folderIndexEntry(path: String, digest: String) throws -> FolderIndexEntry? {
        try connection.queryFirst("""
            SELECT job_id, outcome, id = (SELECT max(id) FROM job_folder_index WHERE path = ?1)
            FROM job_folder_index WHERE path = ?1 AND digest = ?2
            """, [.text(path), .text(digest)]) { row in
            FolderIndexEntry(path: path, digest: digest, job: row.optionalInt64(0).map(JobID.init),
                             outcome: FolderIndexOutcome(rawValue: row.text(1)) ?? .refused, isLatest: row.int64(2) != 0)
        }
    }

    /// Makes `draft` the job of this content of the file at `path`, in ONE transaction: the file's
    /// current job (the newest `submitted` row) is cancelled, the new job created and the index
    /// row written, so a kill at any instant leaves either all of it or none. When the current
    /// job is past the cancel window, nothing is created and the content is recorded as `kept`.
    /// `checkpoint` is called at `beforeTransaction` and `beforeCommit` (tests inject faults
    /// there; an error it throws rolls everything back).
    public func submitFolderJob(_ draft: JobDraft, path: String, digest: String, rules: ScheduleRules = ScheduleRules(),
                                checkpoint: @Sendable (FolderPickupPoint) throws -> Void = { _ in }) throws -> FolderSubmission {
        try validate(draft)
        try checkpoint(.beforeTransaction)
        let step = try connection.transaction { () throws -> FolderStep in
            if let entry = try folderIndexEntry(path: path, digest: digest) { return .done(.alreadyIndexed(entry)) }
            let current = try currentFolderJob(path: path)
            if let current {
                do {
                    try cancelInTransaction(current, rules: rules)
                } catch let error as ScheduleError {
                    try insertFolderRow(path: path, digest: digest, job: current, outcome: .kept)
                    try checkpoint(.beforeCommit)
                    return .done(.kept(current, reason: error.description))
                }
            }
            let job = try insertJob(draft, runner: nil)
            try insertFolderRow(path: path, digest: digest, job: job, outcome: .submitted)
            try checkpoint(.beforeCommit)
            return .created(job, replaced: current)
        }
        switch step {
        case .done(let submission): return submission
        case .created(let job, let replaced): return .submitted(try loadJob(job), replaced: replaced)
        }
    }

    /// Records a content that could not be read or imported, so it is reported once, not on every
    /// scan or restart. Returns the file's current job, which stays as it was.
    @discardableResult
    public func recordFolderRefusal(path: String, digest: String) throws -> JobID? {
        try connection.transaction {
            let current = try currentFolderJob(path: path)
            if try folderIndexEntry(path: path, digest: digest) == nil {
                try insertFolderRow(path: path, digest: digest, job: nil, outcome: .refused)
            }
            return current
        }
    }

    /// Adds entries kept by an older groupsms (its `jobs-folder.json`), in one transaction; an
    /// entry the store already has wins, and a job id the store does not know is dropped from
    /// the entry (the content still counts as handled). Returns how many entries were added.
    public func importFolderIndex(_ entries: [FolderIndexEntry]) throws -> Int {
        try connection.transaction {
            var added = 0
            for entry in entries where try folderIndexEntry(path: entry.path, digest: entry.digest) == nil {
                let known = try entry.job.flatMap { job in
                    try connection.scalarInt("SELECT id FROM jobs WHERE id = ?", [.integer(job.rawValue)]).map(JobID.init)
                }
                try insertFolderRow(path: entry.path, digest: entry.digest, job: known, outcome: entry.outcome)
                added += 1
            }
            return added
        }
    }

    /// The job made by the newest `submitted` content of the file at `path`.
    private func currentFolderJob(path: String) throws -> JobID? {
        try connection.scalarInt("""
            SELECT job_id FROM job_folder_index WHERE path = ? AND outcome = 'submitted' AND job_id IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """, [.text(path)]).map(JobID.init)
    }

    private enum FolderStep {
        case created(JobID, replaced: JobID?)
        case done(FolderSubmission)
    }

    private func insertFolderRow(path: String, digest: String, job: JobID?, outcome: FolderIndexOutcome) throws {
        try connection.execute("""
            INSERT INTO job_folder_index(path, digest, job_id, outcome, recorded_at) VALUES (?, ?, ?, ?, ?)
            """, [.text(path), .text(digest), .int64(job?.rawValue), .text(outcome.rawValue), .integer(nowMilliseconds)])
    }
}
