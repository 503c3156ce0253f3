import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Takes the next due numbers of a running job, checks each against its send window, the
    /// suppression list and the frequency limits, and commits the sendable ones as an in-flight
    /// chunk, in one transaction, as `JobStore.claimChunk` does (same order, counts, reasons and
    /// failure codes; see there). `zones` places numbers in their time zones for a window in
    /// local time; with `pace` the request's start is reserved on the account's budget, or
    /// nothing is claimed and `paceWaitUntil` says when to ask again.
    ///
    /// The transaction locks, in this order: the job row `FOR KEY SHARE` under this process's
    /// fencing token (a stale runner gets `leaseLost` and claims nothing), the account's pace
    /// lock, the numbers' rows `FOR UPDATE SKIP LOCKED` (claims running at once never share
    /// one), and then, before their send history is read, one advisory lock per E.164 number
    /// (see `lockNumbers`): a claim of another job to the same number waits for this one's
    /// commit, and then sees its send, so the frequency limits hold across every runner.
    public func claimChunk(for id: JobID, runner: RunnerLease, maxNumbers: Int = JobSettings.maximumRate,
                           limits: FrequencyLimits = .platform, pace: PaceBudget? = nil,
                           zones: (any NumberZoneLookup)? = nil) async throws -> ChunkClaim {
        guard JobSettings.rates.contains(maxNumbers) else {
            throw StoreError.invalidInput("a chunk holds 1 to 500 numbers, not \(maxNumbers)")
        }
        let held = try heldLease(id, runner)
        let now = clock.now()
        return try await transaction { connection in
            let fenced = try await requireFence(id, runner, on: connection)
            guard fenced.state == .running else {
                throw StoreError.transitionRefused(job: id.description, state: fenced.state, action: "send a chunk of",
                                                   reason: "it is no longer running")
            }
            var work = PostgresClaimWork(job: try await loadJob(id, on: connection), now: now, maxNumbers: maxNumbers,
                                         limits: limits, zones: zones)
            if let pace { try await lockPace(pace, on: connection) }
            // The pace is asked for the numbers due now (at most a chunk), as on SQLite; the rows
            // read here are the first round.
            let due = try await dueNumbers(of: id, now: work.nowMs, limit: maxNumbers, excluding: [], on: connection)
            if let pace, !due.isEmpty {
                let start = try await paceStart(pace, job: id, count: due.count, now: now.addingTimeInterval(pace.lead),
                                                on: connection)
                if start > now.addingTimeInterval(pace.lead) {
                    work.claim.paceWaitUntil = start.addingTimeInterval(-pace.lead)
                    return work.claim
                }
            }
            try await fill(&work, firstRound: due, on: connection)
            return try await finish(work, runner: runner, fence: held.fencingToken, pace: pace, on: connection)
        }
    }

    /// Looks at rounds of due numbers until the chunk is full, the queue is empty or the claim's
    /// share of work (`JobStore.examinedPerClaim`) is done.
    private func fill(_ work: inout PostgresClaimWork, firstRound: [PostgresQueuedNumber],
                      on connection: PostgresConnection) async throws {
        var round: [PostgresQueuedNumber]? = firstRound
        while !work.isFull {
            guard work.examined < JobStore.examinedPerClaim else {
                work.claim.hasMoreDue = true
                return
            }
            var candidates = round ?? []
            if round == nil {
                candidates = try await dueNumbers(of: work.job.id, now: work.nowMs, limit: work.maxNumbers,
                                                  excluding: work.readAndKept, on: connection)
            }
            round = nil
            if candidates.isEmpty { return }
            try await sift(candidates, into: &work, on: connection)
            try await writeRoundDecisions(&work, on: connection)
        }
    }

    /// Decides a round: first the send window and the deadline (pure), then, for the numbers it
    /// let through and in order until the chunk is full, the suppression list and the frequency
    /// limits, each number compared by its own content (a personalised number's tuple).
    private func sift(_ candidates: [PostgresQueuedNumber], into work: inout PostgresClaimWork,
                      on connection: PostgresConnection) async throws {
        var admitted: [PostgresQueuedNumber] = []
        for candidate in candidates where work.admit(candidate) { admitted.append(candidate) }
        work.examined += candidates.count
        admitted = try await lockNumbers(admitted, work: &work, on: connection)
        guard !admitted.isEmpty else { return }
        let e164s = admitted.map(\.e164)
        try await loadValueSets(of: admitted, into: &work, on: connection)
        let suppressed = try await suppressionEntries(among: e164s, on: connection)
        let history = try await sendHistory(for: e164s, since: work.now.addingTimeInterval(-work.limits.lookback),
                                            on: connection)
        for candidate in admitted {
            if work.isFull { return }
            let values = try work.values(of: candidate)
            if let values, !work.groups.accepts(valueSet: values.index) {
                work.groups.isFull = true
                return
            }
            if candidate.wasPostponed { work.claim.released += 1 }
            guard work.settle(candidate, values: values, suppression: suppressed[candidate.e164],
                              history: history[candidate.e164] ?? []) else {
                work.groups.isFull = true
                return
            }
        }
    }

    /// Opens the chunk with the numbers chosen, paces it, and reads when the job's deferred
    /// numbers are due next and whether any number still waits.
    private func finish(_ work: PostgresClaimWork, runner: RunnerLease, fence: Int64, pace: PaceBudget?,
                        on connection: PostgresConnection) async throws -> ChunkClaim {
        var claim = work.claim
        let id = work.job.id
        if !work.chosen.isEmpty {
            var plan = try await openChunk(id, runner: runner, fence: fence, numbers: work.chosen, now: work.nowMs,
                                           on: connection)
            plan.valueGroups = work.groups.valueGroups { work.valueSets[$0]?.params }
            if let pace {
                let start = work.now.addingTimeInterval(pace.lead)
                try await reservePace(pace, job: id, chunk: plan.id, count: plan.numbers.count, at: start, on: connection)
                plan.startsAt = start
            }
            claim.chunk = plan
        }
        let row = try await connection.run("""
            SELECT (SELECT min(deferred_until) FROM numbers WHERE job_id = \(id.rawValue) AND state = 'deferred'),
                   EXISTS (SELECT 1 FROM numbers WHERE job_id = \(id.rawValue) AND state IN ('pending', 'deferred'))
            """, logger: self.connection.logger).collect()[0].decode((Int64?, Bool).self)
        claim.nextDeferredDue = row.0.map(StoreTime.date)
        claim.isDrained = !row.1
        return claim
    }

    /// Due deferred numbers first (by due time, then file order), then pending ones in file
    /// order, locked for this claim; rows another claim holds are skipped, not waited for, and
    /// so are the rows this claim read and kept as they are (`excluding`).
    private func dueNumbers(of id: JobID, now: Int64, limit: Int, excluding seen: [Int64],
                            on connection: PostgresConnection) async throws -> [PostgresQueuedNumber] {
        let logger = self.connection.logger
        var due = try await connection.run("""
            SELECT id, e164, code, value_set FROM numbers WHERE job_id = \(id.rawValue) AND state = 'deferred'
                AND deferred_until <= \(now) AND id <> ALL(\(seen)::bigint[])
            ORDER BY deferred_until, position LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED
            """, logger: logger).collect().map {
            let row = try $0.decode((Int64, String, String?, Int64?).self)
            return PostgresQueuedNumber(id: row.0, e164: row.1, waitingFor: row.2, valueSet: row.3)
        }
        if due.count < limit {
            due += try await connection.run("""
                SELECT id, e164, value_set FROM numbers WHERE job_id = \(id.rawValue) AND state = 'pending'
                    AND id <> ALL(\(seen)::bigint[])
                ORDER BY position LIMIT \(Int64(limit - due.count)) FOR UPDATE SKIP LOCKED
                """, logger: logger).collect().map {
                let row = try $0.decode((Int64, String, Int64?).self)
                return PostgresQueuedNumber(id: row.0, e164: row.1, waitingFor: nil, valueSet: row.2)
            }
        }
        return due
    }

    /// Commits `numbers` as the job's next chunk, in flight under `fence`, with one send-history
    /// row per number under its own content key.
    private func openChunk(_ id: JobID, runner: RunnerLease, fence: Int64,
                           numbers: [(id: Int64, e164: String, contentKey: String)], now nowMs: Int64,
                           on connection: PostgresConnection) async throws -> ChunkPlan {
        let expiry = nowMs + leaseMilliseconds, logger = self.connection.logger
        // The claim is also a sign of life: it renews the lease with the sequence number.
        let sequence = try await connection.run("""
            UPDATE jobs SET next_chunk_seq = next_chunk_seq + 1, heartbeat_at = \(nowMs), lease_expires_at = \(expiry)
            WHERE id = \(id.rawValue) RETURNING next_chunk_seq - 1
            """, logger: logger).collect()[0].decode(Int64.self)
        let tag = ChunkTag.make(instance: instanceTag, job: id, sequence: Int(sequence))
        let chunk = try await connection.run("""
            INSERT INTO chunks(job_id, seq, extend_tag, state, size, runner_token, created_at, fencing_token)
            VALUES (\(id.rawValue), \(sequence), \(tag), 'in-flight', \(Int64(numbers.count)), \(runner.token), \(nowMs), \(fence))
            RETURNING id
            """, logger: logger).collect()[0].decode(Int64.self)
        let ids = numbers.map(\.id), e164s = numbers.map(\.e164), keys = numbers.map(\.contentKey)
        try await connection.run("""
            UPDATE numbers SET state = 'sending', chunk_id = \(chunk), deferred_until = NULL, code = NULL,
                description = NULL, updated_at = \(nowMs) WHERE id = ANY(\(ids)::bigint[])
            """, logger: logger)
        try await connection.run("""
            INSERT INTO send_history(number, content_key, sent_at, job_id, chunk_id)
            SELECT n, k, \(nowMs), \(id.rawValue), \(chunk) FROM unnest(\(e164s)::text[], \(keys)::text[]) AS u(n, k)
            """, logger: logger)
        heldLeases.withLock { $0[id]?.expiresAt = StoreTime.date(expiry) }
        return ChunkPlan(id: ChunkID(chunk), jobID: id, sequence: Int(sequence), extendTag: tag, numbers: e164s,
                         createdAt: StoreTime.date(nowMs))
    }

    /// The send history of `numbers` since `since`, by number (every job's, every runner's).
    func sendHistory(for numbers: [String], since: Date, on connection: PostgresConnection) async throws -> [String: [SendRecord]] {
        guard !numbers.isEmpty else { return [:] }
        var history: [String: [SendRecord]] = [:]
        let rows = try await connection.run("""
            SELECT number, content_key, sent_at FROM send_history
            WHERE number = ANY(\(numbers)::text[]) AND sent_at > \(StoreTime.milliseconds(since))
            """, logger: self.connection.logger)
        for try await (number, key, sentAt) in rows.decode((String, String, Int64).self) {
            history[number, default: []].append(SendRecord(contentKey: key, sentAt: StoreTime.date(sentAt)))
        }
        return history
    }

    /// The suppression entries of `numbers`, by number.
    func suppressionEntries(among numbers: [String], on connection: PostgresConnection) async throws -> [String: SuppressionEntry] {
        var entries: [String: SuppressionEntry] = [:]
        let rows = try await connection.run("""
            SELECT number, code, reason, added_at, source_job_id FROM suppression WHERE number = ANY(\(numbers)::text[])
            """, logger: self.connection.logger)
        for try await (number, code, reason, addedAt, source) in rows.decode((String, String, String, Int64, Int64?).self) {
            entries[number] = SuppressionEntry(number: number, code: code, reason: reason,
                                               addedAt: StoreTime.date(addedAt), sourceJob: source.map(JobID.init))
        }
        return entries
    }
}
