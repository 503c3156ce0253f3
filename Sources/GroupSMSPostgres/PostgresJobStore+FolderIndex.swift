import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// The first key of the per-path advisory locks ("fold" in ASCII); the second is the path's
    /// `hashtext`. Two paths with one hash only take turns.
    static let folderLockSpace: Int32 = 0x666F_6C64

    /// The index entry for this content of the file at `path` (a real path), if it was handled.
    public func folderIndexEntry(path: String, digest: String) async throws -> FolderIndexEntry? {
        try await transaction { try await folderIndexEntry(path: path, digest: digest, on: $0) }
    }

    /// Makes `draft` the job of this content of the file at `path` in ONE transaction (as
    /// `JobStore.submitFolderJob`): the file's current job is cancelled, the new job created and
    /// the index row written, or none of it. When the current job is past the cancel window,
    /// nothing is created and the content is recorded as `kept`. `checkpoint` is called at
    /// `beforeTransaction` and `beforeCommit`; an error it throws rolls everything back.
    ///
    /// Daemons watching the same folder take turns per path under a transaction-scoped advisory
    /// lock, so when two pick the same content up at once one creates the job and the other finds
    /// it indexed (`alreadyIndexed`).
    public func submitFolderJob(_ draft: JobDraft, path: String, digest: String, rules: ScheduleRules = ScheduleRules(),
                                checkpoint: @Sendable (FolderPickupPoint) throws -> Void = { _ in }) async throws
        -> FolderSubmission {
        try JobDraftRules.check(draft, now: clock.now())
        try checkpoint(.beforeTransaction)
        let now = nowMilliseconds
        return try await transaction { connection -> FolderSubmission in
            try await lockFolderPath(path, on: connection)
            if let entry = try await folderIndexEntry(path: path, digest: digest, on: connection) {
                return .alreadyIndexed(entry)
            }
            let current = try await currentFolderJob(path: path, on: connection)
            if let current {
                do {
                    try await cancelReplacedFolderJob(current, rules: rules, on: connection)
                } catch let error as ScheduleError {
                    try await insertFolderRow(path: path, digest: digest, job: current, outcome: .kept, on: connection)
                    try checkpoint(.beforeCommit)
                    return .kept(current, reason: error.description)
                }
            }
            let job = try await insertJob(draft, runner: nil, now: now, on: connection)
            try await insertFolderRow(path: path, digest: digest, job: job, outcome: .submitted, on: connection)
            try checkpoint(.beforeCommit)
            return .submitted(try await loadJob(job, on: connection), replaced: current)
        }
    }

    /// Records a content that could not be read or imported, so it is reported once, not on every
    /// scan or restart. Returns the file's current job, which stays as it was.
    @discardableResult
    public func recordFolderRefusal(path: String, digest: String) async throws -> JobID? {
        try await transaction { connection in
            try await lockFolderPath(path, on: connection)
            let current = try await currentFolderJob(path: path, on: connection)
            if try await folderIndexEntry(path: path, digest: digest, on: connection) == nil {
                try await insertFolderRow(path: path, digest: digest, job: nil, outcome: .refused, on: connection)
            }
            return current
        }
    }

    /// Adds entries kept by an older groupsms (its `jobs-folder.json`), in one transaction; an
    /// entry the store already has wins, and a job id the store does not know is dropped from
    /// the entry (the content still counts as handled). Returns how many entries were added.
    public func importFolderIndex(_ entries: [FolderIndexEntry]) async throws -> Int {
        let now = nowMilliseconds, logger = connection.logger
        return try await transaction { connection in
            // Every path locked first, in one order, so two imports at once cannot deadlock.
            for path in Set(entries.map(\.path)).sorted() { try await lockFolderPath(path, on: connection) }
            var added = 0
            for entry in entries {
                added += try await connection.run("""
                    INSERT INTO job_folder_index(path, digest, job_id, outcome, recorded_at)
                    SELECT \(entry.path), \(entry.digest), (SELECT id FROM jobs WHERE id = \(entry.job?.rawValue)::bigint),
                        \(entry.outcome.rawValue), \(now)
                    ON CONFLICT (path, digest) DO NOTHING RETURNING id
                    """, logger: logger).collect().count
            }
            return added
        }
    }

    /// Makes every other pick-up of `path` wait until this transaction ends.
    private func lockFolderPath(_ path: String, on connection: PostgresConnection) async throws {
        try await connection.run("SELECT pg_advisory_xact_lock(\(Self.folderLockSpace), hashtext(\(path)))",
                                   logger: self.connection.logger)
    }

    private func folderIndexEntry(path: String, digest: String,
                                  on connection: PostgresConnection) async throws -> FolderIndexEntry? {
        let rows = try await connection.run("""
            SELECT job_id, outcome, id = (SELECT max(id) FROM job_folder_index WHERE path = \(path))
            FROM job_folder_index WHERE path = \(path) AND digest = \(digest)
            """, logger: self.connection.logger).collect()
        guard let (job, outcome, isLatest) = try rows.first?.decode((Int64?, String, Bool).self) else { return nil }
        return FolderIndexEntry(path: path, digest: digest, job: job.map(JobID.init),
                                outcome: FolderIndexOutcome(rawValue: outcome) ?? .refused, isLatest: isLatest)
    }

    /// The job made by the newest `submitted` content of the file at `path`.
    private func currentFolderJob(path: String, on connection: PostgresConnection) async throws -> JobID? {
        try await connection.run("""
            SELECT job_id FROM job_folder_index WHERE path = \(path) AND outcome = 'submitted' AND job_id IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """, logger: self.connection.logger).collect().first.map { JobID(try $0.decode(Int64.self)) }
    }

    private func insertFolderRow(path: String, digest: String, job: JobID?, outcome: FolderIndexOutcome,
                                 on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO job_folder_index(path, digest, job_id, outcome, recorded_at)
            VALUES (\(path), \(digest), \(job?.rawValue), \(outcome.rawValue), \(nowMilliseconds))
            """, logger: self.connection.logger)
    }

    /// Cancels the job a new content of its file replaces (as `JobStore.cancelInTransaction`):
    /// the job row is locked first, so no daemon starts it between the check and the cancel.
    /// Throws the `ScheduleError` of a job that may no longer be cancelled, before writing anything.
    private func cancelReplacedFolderJob(_ id: JobID, rules: ScheduleRules,
                                         on connection: PostgresConnection) async throws {
        let logger = self.connection.logger, now = nowMilliseconds
        try await connection.run("SELECT 1 FROM jobs WHERE id = \(id.rawValue) FOR UPDATE", logger: logger)
        let job = try await loadJob(id, on: connection)
        try rules.checkCancel(job: id.description, state: job.state, start: job.scheduledAt, now: clock.now())
        try await connection.run("UPDATE jobs SET state = 'cancelled', finished_at = \(now) WHERE id = \(id.rawValue)",
                                   logger: logger)
        let count = try await connection.run("""
            UPDATE numbers SET state = 'not-sent', failure_class = 'retryable', stage = 'local', code = 'CANCELLED',
                description = 'the job was cancelled before it started', deferred_until = NULL, updated_at = \(now)
            WHERE job_id = \(id.rawValue) AND state IN ('pending', 'deferred') RETURNING id
            """, logger: logger).collect().count
        try await logEvent(id, .cancelled, "cancelled before its start; \(count) numbers not sent", on: connection)
    }
}
