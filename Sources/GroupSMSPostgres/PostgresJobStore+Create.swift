import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Numbers per `COPY`: a batch is one stream of text rows (about 2 MB at 50,000).
    static let insertBatch = 50_000

    /// Stores a new job with all its numbers in one transaction and returns it (as
    /// `JobStore.createJob`): numbers on the suppression list are stored failed (opted-out,
    /// stage local, SUPPRESSED), rejected import entries failed (invalid, stage import). Without
    /// `runner` the job is scheduled; with it, it is created running under a new fenced lease.
    public func createJob(_ draft: JobDraft, runner: RunnerLease? = nil) async throws -> JobRecord {
        try JobDraftRules.check(draft, now: clock.now())
        let now = nowMilliseconds
        let job = try await transaction { connection -> JobRecord in
            let id = try await insertJob(draft, runner: runner, now: now, on: connection)
            return try await loadJob(id, on: connection)
        }
        holdCreatedLease(of: job.id, runner: runner, now: now)
        return job
    }

    /// Inserts a validated draft inside the caller's transaction (as `JobStore.insertJob`): the
    /// job row, its numbers and its events. Every job is made here: `createJob`,
    /// `submitFolderJob` and `rerunJob`.
    func insertJob(_ draft: JobDraft, runner: RunnerLease?, now: Int64,
                   on connection: PostgresConnection) async throws -> JobID {
        if let rerunOf = draft.rerunOf { _ = try await loadJob(rerunOf, on: connection) }
        let id = try await insertJobRow(draft, runner: runner, now: now, expiry: createdLeaseExpiry(now: now),
                                        on: connection)
        try await insertValueSets(draft, job: id, on: connection)
        let suppressed = try await insertNumbers(of: draft, job: id, now: now, on: connection)
        try await insertEstimate(draft.estimate, job: id, on: connection)
        var message = "created with \(draft.numbers.count) numbers"
        if suppressed > 0 { message += ", \(suppressed) of them on the suppression list (skipped)" }
        if !draft.rejected.isEmpty { message += ", and \(draft.rejected.count) invalid entries" }
        let start = draft.scheduledAt.map(StoreTime.milliseconds) ?? now
        message += "; starts \(StoreTime.iso(StoreTime.date(start)))"
        message += "; send window \(draft.sendWindow)"
        if let sendBy = draft.sendBy { message += ", send by \(StoreTime.iso(sendBy))" }
        try await logEvent(id, .created, message, on: connection)
        if let runner {
            try await logEvent(id, .started, "started by process \(runner.pid) on \(runner.host)", on: connection)
        }
        return id
    }

    /// Once the transaction that created job `job` running under `runner` (at `now`) committed,
    /// this process holds its first lease.
    func holdCreatedLease(of job: JobID, runner: RunnerLease?, now: Int64) {
        guard let runner else { return }
        let lease = FencedLease(runner: runner, fencingToken: 1, expiresAt: StoreTime.date(createdLeaseExpiry(now: now)))
        heldLeases.withLock { $0[job] = lease }
    }

    private func createdLeaseExpiry(now: Int64) -> Int64 { now + Int64(options.leaseDuration * 1000) }

    private func insertJobRow(_ draft: JobDraft, runner: RunnerLease?, now: Int64, expiry: Int64,
                              on connection: PostgresConnection) async throws -> JobID {
        let scheduledAt = draft.scheduledAt.map(StoreTime.milliseconds) ?? now
        let running = runner != nil
        let rows = try await connection.run("""
            INSERT INTO jobs(name, source_files, template_id, params, signature, sender, endpoint, status_callback,
                default_country, content_key, rate, max_defer_ms, state, scheduled_at, created_at, started_at,
                runner_token, runner_pid, runner_host, heartbeat_at, rerun_of, fencing_token, lease_expires_at,
                send_window, send_by)
            VALUES (\(draft.name), \(PostgresJobRows.json(draft.sourceFiles)), \(draft.templateID),
                \(PostgresJobRows.json(draft.params)), \(draft.signature), \(draft.from), \(draft.endpoint),
                \(draft.statusCallback), \(draft.defaultCountry), \(draft.contentKey), \(Int64(draft.rate)),
                \(Int64((draft.maxDefer * 1000).rounded())), \(running ? "running" : "scheduled"), \(scheduledAt),
                \(now), \(running ? now : nil), \(runner?.token), \(runner.map { Int64($0.pid) }), \(runner?.host),
                \(running ? now : nil), \(draft.rerunOf?.rawValue), \(running ? Int64(1) : Int64(0)),
                \(running ? expiry : nil), \(draft.sendWindow.description), \(draft.sendBy.map(StoreTime.milliseconds)))
            RETURNING id
            """, logger: self.connection.logger).collect()
        return JobID(try rows[0].decode(Int64.self))
    }

    /// Inserts the numbers in array batches; returns how many were suppressed.
    private func insertNumbers(of draft: JobDraft, job: JobID, now: Int64,
                               on connection: PostgresConnection) async throws -> Int {
        let suppression = try await suppressionList(on: connection)
        var pending = PendingNumberCopy(job: job), failed = FailedNumberColumns()
        for (position, number) in draft.numbers.enumerated() {
            if let entry = suppression[number.e164] {
                failed.append(position: position, fileIndex: number.fileIndex, cell: number.cell, original: nil,
                              e164: number.e164, failureClass: .optedOut, stage: .local, code: "SUPPRESSED",
                              description: entry.skipDescription)
                continue
            }
            pending.append(position: position, number: number,
                           valueSet: draft.values.map { $0.valueSetIndices[position] })
            if pending.count == Self.insertBatch {
                try await pending.insert(on: connection, logger: self.connection.logger)
                pending = PendingNumberCopy(job: job)
            }
        }
        try await pending.insert(on: connection, logger: self.connection.logger)
        let suppressed = failed.count
        for (offset, entry) in draft.rejected.enumerated() {
            failed.append(position: draft.numbers.count + offset, fileIndex: entry.fileIndex, cell: entry.cell,
                          original: entry.original, e164: nil, failureClass: .invalid, stage: .import,
                          code: entry.code, description: entry.description)
        }
        try await failed.insert(job: job, now: now, on: connection, logger: self.connection.logger)
        return suppressed
    }

    /// The whole suppression list by number (like the SQLite store, read once per job).
    func suppressionList(on connection: PostgresConnection) async throws -> [String: SuppressionEntry] {
        var entries: [String: SuppressionEntry] = [:]
        let rows = try await connection.run("SELECT number, code, reason, added_at, source_job_id FROM suppression",
                                              logger: self.connection.logger)
        for try await (number, code, reason, addedAt, source) in rows.decode((String, String, String, Int64, Int64?).self) {
            entries[number] = SuppressionEntry(number: number, code: code, reason: reason,
                                               addedAt: StoreTime.date(addedAt), sourceJob: source.map(JobID.init))
        }
        return entries
    }
}
