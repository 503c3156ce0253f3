import Foundation
import GroupSMSModel

extension JobStore {
    /// The job with this id.
    public func job(_ id: JobID) throws -> JobRecord { try loadJob(id) }

    /// The job with its counts per state and failures by reason (the `show --json` object).
    public func summary(of id: JobID) throws -> JobSummary {
        try connection.transaction(immediate: false) { try summary(for: loadJob(id)) }
    }

    /// Every job (or those in `states`), newest first, with counts.
    public func summaries(states: Set<JobState>? = nil) throws -> [JobSummary] {
        try connection.transaction(immediate: false) {
            try connection.query("SELECT \(Self.jobColumns) FROM jobs ORDER BY id DESC", [], Self.jobRecord)
                .filter { states?.contains($0.state) ?? true }
                .map(summary(for:))
        }
    }

    /// Jobs in `states`, oldest first, without counts.
    public func jobs(in states: Set<JobState>) throws -> [JobRecord] {
        try connection.query("SELECT \(Self.jobColumns) FROM jobs ORDER BY id", [], Self.jobRecord)
            .filter { states.contains($0.state) }
    }

    /// Scheduled jobs whose start has come, earliest first: what the daemon starts now.
    public func dueJobs() throws -> [JobRecord] {
        try connection.query("""
            SELECT \(Self.jobColumns) FROM jobs WHERE state = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, id
            """, [.integer(nowMilliseconds + Self.startTolerance)], Self.jobRecord)
    }

    /// The earliest start among scheduled jobs: when the daemon should wake next.
    public func nextScheduledStart() throws -> Date? {
        try connection.scalarInt("SELECT min(scheduled_at) FROM jobs WHERE state = 'scheduled'").map(StoreTime.date)
    }

    private func summary(for job: JobRecord) throws -> JobSummary {
        var counts: [NumberState: Int] = [:]
        for (state, count) in try connection.query("""
            SELECT state, count(*) FROM numbers WHERE job_id = ? GROUP BY state
            """, [.integer(job.id.rawValue)], { ($0.text(0), $0.int(1)) }) {
            if let state = NumberState(rawValue: state) { counts[state] = count }
        }
        var reasons: [String: Int] = [:]
        for (reason, count) in try connection.query("""
            SELECT ifnull(code, ifnull(failure_class, 'UNKNOWN')), count(*) FROM numbers
            WHERE job_id = ? AND state = 'failed' GROUP BY 1
            """, [.integer(job.id.rawValue)], { ($0.text(0), $0.int(1)) }) {
            reasons[reason] = count
        }
        var classes: [FailureClass: Int] = [:]
        for (failureClass, count) in try connection.query("""
            SELECT failure_class, count(*) FROM numbers WHERE job_id = ? AND state = 'failed' GROUP BY 1
            """, [.integer(job.id.rawValue)], { ($0.optionalText(0), $0.int(1)) }) {
            classes[failureClass.flatMap(FailureClass.init(rawValue:)) ?? .retryable, default: 0] += count
        }
        let deferrals = counts[.deferred] == nil ? ([:], [:]) : try deferralsByReason(of: job.id)
        return JobSummary(job: job, counts: counts, failuresByReason: reasons, failuresByClass: classes,
                          reruns: try reruns(of: job.id), deferredByReason: deferrals.0, nextDeferredByReason: deferrals.1,
                          estimate: try estimate(of: job.id))
    }

    // MARK: Chunks and numbers

    static let chunkColumns = """
        id, job_id, seq, extend_tag, state, size, created_at, request_started_at, answered_at, answer_code, answer_description
        """

    static func chunkRecord(_ row: SQLiteRow) -> ChunkRecord {
        ChunkRecord(id: ChunkID(row.int64(0)), jobID: JobID(row.int64(1)), sequence: row.int(2), extendTag: row.text(3),
                    state: ChunkState(rawValue: row.text(4)) ?? .unconfirmed, size: row.int(5), createdAt: row.date(6),
                    requestStartedAt: row.optionalDate(7), answeredAt: row.optionalDate(8),
                    answerCode: row.optionalText(9), answerDescription: row.optionalText(10))
    }

    /// The job's chunks in order (optionally only those in `state`).
    public func chunks(of id: JobID, state: ChunkState? = nil) throws -> [ChunkRecord] {
        try connection.query("SELECT \(Self.chunkColumns) FROM chunks WHERE job_id = ? ORDER BY seq",
                             [.integer(id.rawValue)], Self.chunkRecord)
            .filter { state == nil || $0.state == state }
    }

    /// The chunk an `extend` tag names, if it belongs to this data dir.
    public func chunk(withTag tag: String) throws -> ChunkRecord? {
        try connection.queryFirst("SELECT \(Self.chunkColumns) FROM chunks WHERE extend_tag = ?", [.text(tag)],
                                  Self.chunkRecord)
    }

    /// A page of the job's numbers in position order, optionally only those in `states`.
    /// Pass the last position seen as `afterPosition` to read the next page.
    public func numbers(of id: JobID, states: Set<NumberState>? = nil, afterPosition: Int = -1,
                        limit: Int = 10_000) throws -> [NumberRecord] {
        let job = try loadJob(id)
        var sql = "SELECT \(Self.numberColumns) FROM numbers WHERE job_id = ? AND position > ?"
        var values: [SQLiteValue] = [.integer(id.rawValue), .int(afterPosition)]
        if let states {
            sql += " AND state IN (SELECT value FROM json_each(?))"
            values.append(.text(StoreJSON.encode(states.map(\.rawValue))))
        }
        values.append(.int(limit))
        return try connection.query(sql + " ORDER BY position LIMIT ?", values) { Self.numberRecord($0, files: job.sourceFiles) }
    }

    /// The number that received `smsMsgId`, if any (status reports find their number this way).
    public func number(withMessageID smsMsgId: String) throws -> NumberRecord? {
        guard let jobID = try connection.scalarInt("SELECT job_id FROM numbers WHERE sms_msg_id = ?", [.text(smsMsgId)]) else {
            return nil
        }
        let files = try loadJob(JobID(jobID)).sourceFiles
        return try connection.queryFirst("SELECT \(Self.numberColumns) FROM numbers WHERE sms_msg_id = ?",
                                         [.text(smsMsgId)]) { Self.numberRecord($0, files: files) }
    }

    static let numberColumns = """
        id, job_id, position, file_index, cell, original, e164, state, failure_class, stage, code, description,
        chunk_id, sms_msg_id, deferred_until, accepted_at, report_at
        """

    static func numberRecord(_ row: SQLiteRow, files: [String]) -> NumberRecord {
        let fileIndex = row.optionalInt(3)
        return NumberRecord(
            id: row.int64(0), jobID: JobID(row.int64(1)), position: row.int(2),
            sourceFile: fileIndex.flatMap { files.indices.contains($0) ? files[$0] : nil }, cell: row.optionalText(4),
            original: row.optionalText(5), e164: row.optionalText(6), state: NumberState(rawValue: row.text(7)) ?? .failed,
            failureClass: row.optionalText(8).flatMap(FailureClass.init(rawValue:)),
            stage: row.optionalText(9).flatMap(FailureStage.init(rawValue:)), code: row.optionalText(10),
            description: row.optionalText(11), chunkID: row.optionalInt64(12).map(ChunkID.init),
            smsMsgId: row.optionalText(13), deferredUntil: row.optionalDate(14), acceptedAt: row.optionalDate(15),
            reportAt: row.optionalDate(16))
    }
}
