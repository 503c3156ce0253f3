import Foundation
import GroupSMSModel

extension JobStore {
    /// Stores a new job with all its numbers in one transaction and returns it.
    ///
    /// Numbers on the suppression list are stored as failed (opted-out, stage local, code
    /// SUPPRESSED) and rejected import entries as failed (invalid, stage import), so nothing the
    /// user gave is silently dropped. Without `runner` the job is `scheduled` for
    /// `draft.scheduledAt` (now if nil) and the daemon starts it; with `runner` it is created
    /// `running` and owned by that runner (foreground `send`).
    public func createJob(_ draft: JobDraft, runner: RunnerLease? = nil) throws -> JobRecord {
        try validate(draft)
        let id = try connection.transaction { try insertJob(draft, runner: runner) }
        return try loadJob(id)
    }

    /// Inserts a validated draft inside the caller's transaction (see `createJob`).
    func insertJob(_ draft: JobDraft, runner: RunnerLease?) throws -> JobID {
        let now = nowMilliseconds
        let scheduledAt = draft.scheduledAt.map(StoreTime.milliseconds) ?? now
        try connection.execute("""
            INSERT INTO jobs(name, source_files, template_id, params, signature, sender, endpoint,
                status_callback, default_country, content_key, rate, max_defer_ms, state, scheduled_at,
                created_at, started_at, runner_token, runner_pid, runner_host, heartbeat_at, rerun_of, send_window, send_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(draft.name), .text(StoreJSON.encode(draft.sourceFiles)), .text(draft.templateID),
                .text(StoreJSON.encode(draft.params)), .string(draft.signature), .text(draft.from),
                .string(draft.endpoint), .string(draft.statusCallback), .text(draft.defaultCountry),
                .text(draft.contentKey),
                .int(draft.rate), .integer(Int64((draft.maxDefer * 1000).rounded())),
                .text(runner == nil ? JobState.scheduled.rawValue : JobState.running.rawValue),
                .integer(scheduledAt), .integer(now), runner == nil ? .null : .integer(now),
                .string(runner?.token), .int(runner.map { Int($0.pid) }), .string(runner?.host),
                runner == nil ? .null : .integer(now), .int64(draft.rerunOf?.rawValue),
                .text(draft.sendWindow.description), .time(draft.sendBy),
            ])
        let id = JobID(connection.lastInsertRowID)
        let suppressed = try insertNumbers(of: draft, job: id, now: now)
        try insertEstimate(draft.estimate, job: id)
        try insertValueSets(draft, job: id)
        var message = "created with \(draft.numbers.count) numbers"
        if suppressed > 0 { message += ", \(suppressed) of them on the suppression list (skipped)" }
        if !draft.rejected.isEmpty { message += ", and \(draft.rejected.count) invalid entries" }
        message += "; starts \(StoreTime.iso(StoreTime.date(scheduledAt)))"
        message += "; send window \(draft.sendWindow)"
        if let sendBy = draft.sendBy { message += ", send by \(StoreTime.iso(sendBy))" }
        try logEvent(id, .created, message)
        if let runner { try logEvent(id, .started, "started by process \(runner.pid) on \(runner.host)") }
        return id
    }

    func validate(_ draft: JobDraft) throws {
        try JobDraftRules.check(draft, now: clock.now())
        if let rerunOf = draft.rerunOf { _ = try loadJob(rerunOf) }
    }

    /// Rows per multi-row INSERT: one statement run per 64 numbers instead of per number
    /// (6 parameters each, well under SQLite's parameter limit).
    static let insertBatch = 64

    /// Inserts the numbers with reused multi-row statements; returns how many were suppressed.
    private func insertNumbers(of draft: JobDraft, job: JobID, now: Int64) throws -> Int {
        let suppressionList = try suppressionEntries(among: nil)
        func pendingInsert(rows: Int) throws -> SQLiteStatement {
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?, 'pending')", count: rows).joined(separator: ", ")
            return try connection.statement(
                "INSERT INTO numbers(job_id, position, file_index, cell, e164, value_set, state) VALUES \(values)")
        }
        let batch = try pendingInsert(rows: Self.insertBatch)
        let failed = try connection.statement("""
            INSERT INTO numbers(job_id, position, file_index, cell, original, e164, state, failure_class, stage,
                code, description, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'failed', ?, ?, ?, ?, ?)
            """)
        defer {
            batch.reset()
            failed.reset()
        }
        let jobValue = SQLiteValue.integer(job.rawValue)
        var buffered: [(position: Int, number: NumberDraft)] = []
        buffered.reserveCapacity(Self.insertBatch)
        func flush(_ statement: SQLiteStatement) throws {
            var index: Int32 = 1
            for (position, number) in buffered {
                try statement.bind(jobValue, at: index)
                try statement.bind(.integer(Int64(position)), at: index + 1)
                try statement.bind(.int(number.fileIndex), at: index + 2)
                try statement.bind(.string(number.cell), at: index + 3)
                try statement.bind(.text(number.e164), at: index + 4)
                try statement.bind(draft.values.map { .integer(Int64($0.valueSetIndices[position])) } ?? .null,
                                   at: index + 5)
                index += 6
            }
            try statement.run()
            statement.reset()
            buffered.removeAll(keepingCapacity: true)
        }
        var suppressedCount = 0
        for (position, number) in draft.numbers.enumerated() {
            if let entry = suppressionList[number.e164] {
                suppressedCount += 1
                try failed.bind([jobValue, .int(position), .int(number.fileIndex), .string(number.cell), .null,
                                 .text(number.e164), .text(FailureClass.optedOut.rawValue),
                                 .text(FailureStage.local.rawValue), .text("SUPPRESSED"),
                                 .text(entry.skipDescription),
                                 .integer(now)])
                try failed.run()
                failed.reset()
                continue
            }
            buffered.append((position, number))
            if buffered.count == Self.insertBatch { try flush(batch) }
        }
        if !buffered.isEmpty { try flush(try pendingInsert(rows: buffered.count)) }
        for (offset, entry) in draft.rejected.enumerated() {
            try failed.bind([jobValue, .int(draft.numbers.count + offset), .int(entry.fileIndex), .string(entry.cell),
                             .text(entry.original), .null, .text(FailureClass.invalid.rawValue),
                             .text(FailureStage.import.rawValue), .text(entry.code), .text(entry.description),
                             .integer(now)])
            try failed.run()
            failed.reset()
        }
        return suppressedCount
    }
}
