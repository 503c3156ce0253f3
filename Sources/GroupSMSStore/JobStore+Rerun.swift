import Foundation
import GroupSMSModel

extension JobStore {
    /// Creates a new job, linked by `rerunOf`, from a job's retryable numbers (failed with class
    /// retryable, including LOCAL_LIMIT and EXPIRED, and not-sent), plus its unconfirmed numbers
    /// when `includeUnconfirmed`. It keeps the original's template, params, signature, from,
    /// endpoint, status callback, rate, max-defer, region, send window and source files (numbers
    /// keep their cells); a deadline is the new job's own (`sendBy`), never the original's. Like
    /// any job it is checked against the suppression list (suppressed numbers are
    /// stored failed SUPPRESSED and listed in the result) and the frequency limits when it runs.
    ///
    /// Overdue numbers are expired first, so numbers past the 72 h report window are included.
    /// Refused for scheduled and running jobs, and when there is nothing to rerun. `prepare`
    /// checks and estimates the new job's draft before it is stored (a throw stores nothing).
    public func rerunJob(_ id: JobID, includeUnconfirmed: Bool = false, name: String? = nil,
                         scheduledAt: Date? = nil, sendBy: Date? = nil, runner: RunnerLease? = nil,
                         prepare: @Sendable (JobDraft) throws -> JobDraft = { $0 }) throws -> RerunResult {
        try expireOverdueReports()
        let job = try loadJob(id)
        guard job.state != .scheduled, job.state != .running else {
            throw StoreError.transitionRefused(
                job: id.description, state: job.state, action: "rerun",
                reason: job.state == .scheduled ? "it has not run yet; reschedule or cancel it instead"
                    : "it is still sending; wait for it to finish or pause it first")
        }
        var condition = "state = 'not-sent' OR (state = 'failed' AND failure_class = 'retryable')"
        if includeUnconfirmed { condition += " OR state = 'unconfirmed'" }
        let candidates = try connection.query("""
            SELECT e164, file_index, cell, state FROM numbers
            WHERE job_id = ? AND e164 IS NOT NULL AND (\(condition)) ORDER BY position
            """, [.integer(id.rawValue)]) {
            (number: NumberDraft(e164: $0.text(0), fileIndex: $0.optionalInt(1), cell: $0.optionalText(2)),
             unconfirmed: $0.text(3) == NumberState.unconfirmed.rawValue)
        }
        guard !candidates.isEmpty else {
            let unconfirmed = try connection.scalarInt("""
                SELECT count(*) FROM numbers WHERE job_id = ? AND state = 'unconfirmed'
                """, [.integer(id.rawValue)]) ?? 0
            let hint = !includeUnconfirmed && unconfirmed > 0
                ? "; its \(unconfirmed) unconfirmed numbers can be sent again with --include-unconfirmed" : ""
            throw StoreError.invalidInput("\(id) has no retryable numbers to rerun\(hint)")
        }
        let numbers = candidates.map(\.number)
        let suppressed = try suppressionEntries(among: numbers.map(\.e164))
        var draft = JobDraft(name: name ?? "\(job.name) rerun", settings: job.settings, numbers: numbers,
                             sourceFiles: job.sourceFiles, endpoint: job.endpoint, scheduledAt: scheduledAt,
                             sendBy: sendBy, rerunOf: id)
        // A personalised job's numbers keep their own values.
        draft.values = try rerunValues(of: id, numbers: numbers)
        let created = try createJob(try prepare(draft), runner: runner)
        let unconfirmed = candidates.filter(\.unconfirmed).count
        try connection.transaction {
            var message = "rerun as \(created.id) with \(numbers.count - unconfirmed) retryable"
            if includeUnconfirmed { message += " and \(unconfirmed) unconfirmed" }
            message += " numbers"
            if !suppressed.isEmpty { message += "; \(suppressed.count) of them are on the suppression list (skipped)" }
            try logEvent(id, .rerun, message)
        }
        return RerunResult(job: created, retryable: numbers.count - unconfirmed, unconfirmed: unconfirmed,
                           suppressed: numbers.map(\.e164).filter { suppressed[$0] != nil })
    }

    /// Jobs created as reruns of `id`, oldest first.
    public func reruns(of id: JobID) throws -> [JobID] {
        try connection.query("SELECT id FROM jobs WHERE rerun_of = ? ORDER BY id", [.integer(id.rawValue)]) {
            JobID($0.int64(0))
        }
    }
}
