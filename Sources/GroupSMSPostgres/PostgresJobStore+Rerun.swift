import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Creates a new job, linked by `rerunOf`, from a job's retryable numbers (failed with class
    /// retryable, including LOCAL_LIMIT and EXPIRED, and not-sent), plus its unconfirmed numbers
    /// when `includeUnconfirmed` (as `JobStore.rerunJob`). It keeps the original's settings
    /// (template, params, signature, from, rate, max-defer, region, send window), endpoint and
    /// source files, and each number's cell and personalised values; a deadline is the new job's
    /// own (`sendBy`), never the original's. Suppressed numbers are stored failed SUPPRESSED and
    /// listed in the result.
    ///
    /// Overdue numbers are expired first. Refused for scheduled and running jobs, and when there
    /// is nothing to rerun. The original is read and the new job created in one transaction that
    /// holds the original's row `FOR SHARE`, so no daemon resumes it meanwhile; `prepare` checks
    /// and estimates the draft inside it (its error stores nothing and leaves as it was thrown).
    public func rerunJob(_ id: JobID, includeUnconfirmed: Bool = false, name: String? = nil,
                         scheduledAt: Date? = nil, sendBy: Date? = nil, runner: RunnerLease? = nil,
                         prepare: @Sendable (JobDraft) throws -> JobDraft = { $0 }) async throws -> RerunResult {
        try await expireOverdueReportsBeforeRerun()
        let now = nowMilliseconds
        let result = try await transaction { connection -> RerunResult in
            let job = try await rerunSource(id, on: connection)
            let candidates = try await rerunCandidates(of: id, includeUnconfirmed: includeUnconfirmed, on: connection)
            guard !candidates.isEmpty else {
                throw try await nothingToRerun(id, includeUnconfirmed: includeUnconfirmed, on: connection)
            }
            let numbers = candidates.map(\.number)
            let suppressed = try await suppressionEntries(among: numbers.map(\.e164), on: connection)
            var draft = JobDraft(name: name ?? "\(job.name) rerun", settings: job.settings, numbers: numbers,
                                 sourceFiles: job.sourceFiles, endpoint: job.endpoint, scheduledAt: scheduledAt,
                                 sendBy: sendBy, rerunOf: id)
            draft.values = try await rerunValues(of: id, numbers: numbers, on: connection)
            let prepared = try prepare(draft)
            try JobDraftRules.check(prepared, now: clock.now())
            let created = try await insertJob(prepared, runner: runner, now: now, on: connection)
            let unconfirmed = candidates.filter(\.unconfirmed).count
            var message = "rerun as \(created) with \(numbers.count - unconfirmed) retryable"
            if includeUnconfirmed { message += " and \(unconfirmed) unconfirmed" }
            message += " numbers"
            if !suppressed.isEmpty { message += "; \(suppressed.count) of them are on the suppression list (skipped)" }
            try await logEvent(id, .rerun, message, on: connection)
            return RerunResult(job: try await loadJob(created, on: connection), retryable: numbers.count - unconfirmed,
                               unconfirmed: unconfirmed, suppressed: numbers.map(\.e164).filter { suppressed[$0] != nil })
        }
        holdCreatedLease(of: result.job.id, runner: runner, now: now)
        return result
    }

    /// The job to rerun, its row held `FOR SHARE`; refused while it is scheduled or running.
    private func rerunSource(_ id: JobID, on connection: PostgresConnection) async throws -> JobRecord {
        let locked = try await connection.run("SELECT 1 FROM jobs WHERE id = \(id.rawValue) FOR SHARE",
                                                logger: self.connection.logger).collect()
        guard !locked.isEmpty else { throw StoreError.jobNotFound(id.description) }
        let job = try await loadJob(id, on: connection)
        guard job.state != .scheduled, job.state != .running else {
            throw StoreError.transitionRefused(
                job: id.description, state: job.state, action: "rerun",
                reason: job.state == .scheduled ? "it has not run yet; reschedule or cancel it instead"
                    : "it is still sending; wait for it to finish or pause it first")
        }
        return job
    }

    private func rerunCandidates(of id: JobID, includeUnconfirmed: Bool, on connection: PostgresConnection)
        async throws -> [(number: NumberDraft, unconfirmed: Bool)] {
        try await connection.run("""
            SELECT e164, file_index, cell, state FROM numbers
            WHERE job_id = \(id.rawValue) AND e164 IS NOT NULL AND (state = 'not-sent'
                OR (state = 'failed' AND failure_class = 'retryable') OR (\(includeUnconfirmed) AND state = 'unconfirmed'))
            ORDER BY position
            """, logger: self.connection.logger).collect().map { row in
            let (e164, fileIndex, cell, state) = try row.decode((String, Int64?, String?, String).self)
            return (NumberDraft(e164: e164, fileIndex: fileIndex.map(Int.init), cell: cell),
                    state == NumberState.unconfirmed.rawValue)
        }
    }

    /// The refusal of a rerun with nothing in it, pointing at `--include-unconfirmed` when that
    /// would find numbers.
    private func nothingToRerun(_ id: JobID, includeUnconfirmed: Bool,
                                on connection: PostgresConnection) async throws -> StoreError {
        let unconfirmed = try await connection.run("""
            SELECT count(*) FROM numbers WHERE job_id = \(id.rawValue) AND state = 'unconfirmed'
            """, logger: self.connection.logger).collect().first?.decode(Int.self) ?? 0
        let hint = !includeUnconfirmed && unconfirmed > 0
            ? "; its \(unconfirmed) unconfirmed numbers can be sent again with --include-unconfirmed" : ""
        return StoreError.invalidInput("\(id) has no retryable numbers to rerun\(hint)")
    }

    /// The values for a rerun of `numbers` of a personalised `job`: the same header and each
    /// number's own tuple, interned again so the new job stores each tuple once (nil for a job
    /// whose numbers share its params).
    private func rerunValues(of job: JobID, numbers: [NumberDraft],
                             on connection: PostgresConnection) async throws -> RecipientValues? {
        let logger = self.connection.logger
        let rows = try await connection.run("SELECT variables_header FROM jobs WHERE id = \(job.rawValue)",
                                              logger: logger).collect()
        guard let row = rows.first, let headerText = try row.decode(String?.self) else { return nil }
        let header = PostgresJobRows.strings(headerText)
        var byNumber: [String: [String]] = [:]
        for row in try await connection.run("""
            SELECT n.e164, s.paras FROM numbers n
            JOIN job_value_sets s ON s.job_id = n.job_id AND s.set_index = n.value_set
            WHERE n.job_id = \(job.rawValue) AND n.e164 = ANY(\(numbers.map(\.e164))::text[])
            """, logger: logger).collect() {
            let (e164, paras) = try row.decode((String, String).self)
            byNumber[e164] = PostgresJobRows.strings(paras)
        }
        var sets = TemplateValueSets(arity: header.count)
        var indices: [UInt32] = []
        indices.reserveCapacity(numbers.count)
        for number in numbers {
            guard let paras = byNumber[number.e164], paras.count == header.count else {
                throw StoreError.invalidInput("\(number.e164) of \(job) has no stored values; it cannot be rerun with its own")
            }
            indices.append(sets.intern(paras))
        }
        return RecipientValues(header: header, valueSets: sets, valueSetIndices: indices)
    }
}
