import Foundation
import GroupSMSModel

/// How many chunks and numbers a recovery turned unconfirmed.
struct ChunkSettlementSummary {
    var chunks = 0
    var numbers = 0
}

extension JobStore {
    /// Takes the next numbers of a running job, checks each against the suppression list and the
    /// frequency limits, and commits the sendable ones as an in-flight chunk, all in one
    /// transaction. Only after this returns may the request leave (at most once).
    ///
    /// Due deferred numbers come first, then pending ones in first-seen order. A number a limit
    /// blocks is deferred (wait ≤ the job's max-defer) or failed with LOCAL_LIMIT, and the chunk
    /// is topped up from the queue, so deferrals never stall the rest. The send history gets
    /// one row per chunk number, visible to every other job and process from the commit on.
    /// Throws `transitionRefused` when the job is no longer running (paused by another process).
    ///
    /// With `pace`, the request's start is reserved in the same transaction (SPEC §4): when the
    /// account's or the job's budget has no room for `maxNumbers` now, nothing is claimed and
    /// `paceWaitUntil` says when to ask again. The write lock taken at BEGIN IMMEDIATE means no
    /// other process can reserve between the check and the commit.
    public func claimChunk(for id: JobID, runner: RunnerLease, maxNumbers: Int = JobSettings.maximumRate,
                           limits: FrequencyLimits = .platform, pace: PaceBudget? = nil) throws -> ChunkClaim {
        guard JobSettings.rates.contains(maxNumbers) else {
            throw StoreError.invalidInput("a chunk holds 1 to 500 numbers, not \(maxNumbers)")
        }
        return try connection.transaction {
            let job = try loadJob(id)
            try requireLease(job, runner)
            guard job.state == .running else {
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "send a chunk of",
                                                   reason: "it is no longer running")
            }
            let now = clock.now()
            let nowMs = StoreTime.milliseconds(now)
            try connection.execute("UPDATE jobs SET heartbeat_at = ? WHERE id = ?", [.integer(nowMs), .integer(id.rawValue)])
            var claim = ChunkClaim(chunk: nil, deferred: 0, limited: 0, suppressed: 0, nextDeferredDue: nil, isDrained: false)
            // The pace is asked for the numbers due now (at most a chunk), so a job whose numbers
            // are all in flight hears that at once, and a small chunk does not wait for room for 500.
            // The rows read here are the loop's first round, so they are not queried twice.
            let due = try dueNumbers(of: id, now: nowMs, limit: maxNumbers)
            var firstRound: [(id: Int64, e164: String)]? = due
            if let pace, !due.isEmpty {
                let start = try paceStart(pace, job: id, count: due.count, now: now.addingTimeInterval(pace.lead))
                if start > now.addingTimeInterval(pace.lead) {
                    claim.paceWaitUntil = start.addingTimeInterval(-pace.lead)
                    return claim
                }
            }
            var chunk: ChunkPlan?
            while (chunk?.numbers.count ?? 0) < maxNumbers {
                let candidates = try firstRound ?? dueNumbers(of: id, now: nowMs, limit: maxNumbers - (chunk?.numbers.count ?? 0))
                firstRound = nil
                if candidates.isEmpty { break }
                let e164s = candidates.map(\.e164)
                let suppressed = try suppressionEntries(among: e164s)
                let history = try sendHistory(for: e164s, since: now.addingTimeInterval(-limits.lookback))
                for candidate in candidates {
                    if let entry = suppressed[candidate.e164] {
                        try failNumber(candidate.id, failureClass: .optedOut, code: "SUPPRESSED",
                                       description: "on the suppression list since \(StoreTime.iso(entry.addedAt)) (\(entry.code))")
                        claim.suppressed += 1
                        continue
                    }
                    switch limits.decide(history: history[candidate.e164] ?? [], contentKey: job.contentKey,
                                         now: now, maxDefer: job.maxDefer) {
                    case .sendNow:
                        if chunk == nil { chunk = try openChunk(for: job, runner: runner, now: nowMs) }
                        try addToChunk(&chunk!, candidate, contentKey: job.contentKey, now: nowMs)
                    case .deferUntil(let until, let rule):
                        try connection.execute("""
                            UPDATE numbers SET state = 'deferred', deferred_until = ?, description = ?, updated_at = ?
                            WHERE id = ?
                            """, [.time(until), .text("deferred until \(StoreTime.iso(until)): limit of \(rule) per number"),
                                  .integer(nowMs), .integer(candidate.id)])
                        claim.deferred += 1
                    case .localLimit(let allowedAt, let rule):
                        try failNumber(candidate.id, failureClass: .retryable, code: "LOCAL_LIMIT",
                                       description: "limit of \(rule) per number; allowed again at \(StoreTime.iso(allowedAt)), "
                                           + "later than the job's max-defer")
                        claim.limited += 1
                    }
                }
            }
            if var plan = chunk {
                try connection.execute("UPDATE chunks SET size = ? WHERE id = ?",
                                       [.int(plan.numbers.count), .integer(plan.id.rawValue)])
                if let pace {
                    let start = now.addingTimeInterval(pace.lead)
                    try reservePace(pace, job: id, chunk: plan.id, count: plan.numbers.count, at: start)
                    plan.startsAt = start
                    chunk = plan
                }
            }
            claim.chunk = chunk
            claim.nextDeferredDue = try connection.scalarInt("""
                SELECT min(deferred_until) FROM numbers WHERE job_id = ? AND state = 'deferred'
                """, [.integer(id.rawValue)]).map(StoreTime.date)
            claim.isDrained = try connection.scalarInt("""
                SELECT EXISTS (SELECT 1 FROM numbers WHERE job_id = ? AND state IN ('pending', 'deferred'))
                """, [.integer(id.rawValue)]) == 0
            return claim
        }
    }

    /// Holds queued numbers of a running job until `until` (e.g. a platform per-number limit, or
    /// courtesy hours): the given pending or deferred numbers, or all of them when `numbers` is
    /// nil. They stay in the job and come back through `claimChunk` when due. Returns how many.
    @discardableResult
    public func deferNumbers(of id: JobID, runner: RunnerLease, numbers: [String]? = nil, until: Date,
                             reason: String) throws -> Int {
        try connection.transaction {
            try requireLease(try loadJob(id), runner)
            var sql = """
                UPDATE numbers SET state = 'deferred', deferred_until = ?, description = ?, updated_at = ?
                WHERE job_id = ? AND state IN ('pending', 'deferred')
                """
            var values: [SQLiteValue] = [.time(until), .text(reason), .integer(nowMilliseconds), .integer(id.rawValue)]
            if let numbers {
                sql += " AND e164 IN (SELECT value FROM json_each(?))"
                values.append(.text(StoreJSON.encode(numbers)))
            }
            return try connection.execute(sql, values)
        }
    }

    private func dueNumbers(of id: JobID, now: Int64, limit: Int) throws -> [(id: Int64, e164: String)] {
        var due = try connection.query("""
            SELECT id, e164 FROM numbers WHERE job_id = ? AND state = 'deferred' AND deferred_until <= ?
            ORDER BY deferred_until, position LIMIT ?
            """, [.integer(id.rawValue), .integer(now), .int(limit)]) { ($0.int64(0), $0.text(1)) }
        if due.count < limit {
            due += try connection.query("""
                SELECT id, e164 FROM numbers WHERE job_id = ? AND state = 'pending' ORDER BY position LIMIT ?
                """, [.integer(id.rawValue), .int(limit - due.count)]) { ($0.int64(0), $0.text(1)) }
        }
        return due
    }

    private func openChunk(for job: JobRecord, runner: RunnerLease, now: Int64) throws -> ChunkPlan {
        let sequence = Int(try connection.scalarInt("SELECT next_chunk_seq FROM jobs WHERE id = ?",
                                                    [.integer(job.id.rawValue)]) ?? 1)
        try connection.execute("UPDATE jobs SET next_chunk_seq = ? WHERE id = ?",
                               [.int(sequence + 1), .integer(job.id.rawValue)])
        let tag = ChunkTag.make(instance: instanceTag, job: job.id, sequence: sequence)
        try connection.execute("""
            INSERT INTO chunks(job_id, seq, extend_tag, state, size, runner_token, created_at)
            VALUES (?, ?, ?, 'in-flight', 0, ?, ?)
            """, [.integer(job.id.rawValue), .int(sequence), .text(tag), .text(runner.token), .integer(now)])
        return ChunkPlan(id: ChunkID(connection.lastInsertRowID), jobID: job.id, sequence: sequence, extendTag: tag,
                         numbers: [], createdAt: StoreTime.date(now))
    }

    private func addToChunk(_ chunk: inout ChunkPlan, _ number: (id: Int64, e164: String),
                            contentKey: String, now: Int64) throws {
        try connection.execute("""
            UPDATE numbers SET state = 'sending', chunk_id = ?, deferred_until = NULL, description = NULL, updated_at = ?
            WHERE id = ?
            """, [.integer(chunk.id.rawValue), .integer(now), .integer(number.id)])
        try connection.execute("""
            INSERT INTO send_history(number, content_key, sent_at, job_id, chunk_id) VALUES (?, ?, ?, ?, ?)
            """, [.text(number.e164), .text(contentKey), .integer(now), .integer(chunk.jobID.rawValue),
                  .integer(chunk.id.rawValue)])
        chunk.numbers.append(number.e164)
    }

    private func failNumber(_ id: Int64, failureClass: FailureClass, code: String, description: String) throws {
        try connection.execute("""
            UPDATE numbers SET state = 'failed', failure_class = ?, stage = 'local', code = ?, description = ?,
                deferred_until = NULL, updated_at = ? WHERE id = ?
            """, [.text(failureClass.rawValue), .text(code), .text(description), .integer(nowMilliseconds), .integer(id)])
    }
}
