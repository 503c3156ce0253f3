import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Takes the next due numbers of a running job and commits the sendable ones as an in-flight
    /// chunk, in one transaction, as `JobStore.claimChunk`: suppressed numbers fail, numbers a
    /// frequency limit blocks are deferred or fail with LOCAL_LIMIT, and with `pace` the
    /// request's start is reserved on the account's budget (or nothing is claimed and
    /// `paceWaitUntil` says when to ask again).
    ///
    /// The transaction first locks the job row `FOR KEY SHARE` under this process's fencing
    /// token (a stale runner gets `leaseLost` and claims nothing), then the account's pace lock,
    /// then the numbers `FOR UPDATE SKIP LOCKED`, so claims running at once never share one.
    public func claimChunk(for id: JobID, runner: RunnerLease, maxNumbers: Int = JobSettings.maximumRate,
                           limits: FrequencyLimits = .platform, pace: PaceBudget? = nil) async throws -> ChunkClaim {
        guard JobSettings.rates.contains(maxNumbers) else {
            throw StoreError.invalidInput("a chunk holds 1 to 500 numbers, not \(maxNumbers)")
        }
        let held = try heldLease(id, runner)
        let now = clock.now()
        return try await transaction { connection in
            let job = try await requireFence(id, runner, on: connection)
            guard job.state == .running else {
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "send a chunk of",
                                                   reason: "it is no longer running")
            }
            var claim = ChunkClaim(deferred: 0, limited: 0, suppressed: 0, isDrained: false)
            if let pace { try await lockPace(pace, on: connection) }
            var round = try await dueNumbers(of: id, now: now, limit: maxNumbers, excluding: [], on: connection)
            if let pace, !round.isEmpty {
                let start = try await paceStart(pace, job: id, count: round.count, now: now.addingTimeInterval(pace.lead),
                                                on: connection)
                if start > now.addingTimeInterval(pace.lead) {
                    claim.paceWaitUntil = start.addingTimeInterval(-pace.lead)
                    return claim
                }
            }
            var chosen: [(id: Int64, e164: String)] = [], seen: [Int64] = []
            while !round.isEmpty {
                seen += round.map(\.id)
                chosen += try await sift(round, job: job, limits: limits, now: now, claim: &claim, on: connection)
                guard chosen.count < maxNumbers else { break }
                round = try await dueNumbers(of: id, now: now, limit: maxNumbers - chosen.count, excluding: seen,
                                             on: connection)
            }
            if !chosen.isEmpty {
                var plan = try await openChunk(id, runner: runner, fence: held.fencingToken, numbers: chosen,
                                               contentKey: job.contentKey, now: now, on: connection)
                if let pace {
                    let start = now.addingTimeInterval(pace.lead)
                    try await reservePace(pace, job: id, chunk: plan.id, count: chosen.count, at: start, on: connection)
                    plan.startsAt = start
                }
                claim.chunk = plan
            }
            try await describeQueue(of: id, into: &claim, on: connection)
            return claim
        }
    }

    /// Due deferred numbers first, then pending ones in first-seen order, locked for this claim;
    /// rows another claim holds are skipped, not waited for.
    private func dueNumbers(of id: JobID, now: Date, limit: Int, excluding seen: [Int64],
                            on connection: PostgresConnection) async throws -> [(id: Int64, e164: String)] {
        let nowMs = PostgresTime.milliseconds(now), logger = self.connection.logger
        var due = try await connection.query("""
            SELECT id, e164 FROM numbers WHERE job_id = \(id.rawValue) AND state = 'deferred'
                AND deferred_until <= \(nowMs) AND id <> ALL(\(seen)::bigint[])
            ORDER BY deferred_until, position LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED
            """, logger: logger).collect().map { try $0.decode((Int64, String).self) }
        if due.count < limit {
            due += try await connection.query("""
                SELECT id, e164 FROM numbers WHERE job_id = \(id.rawValue) AND state = 'pending'
                    AND id <> ALL(\(seen)::bigint[])
                ORDER BY position LIMIT \(Int64(limit - due.count)) FOR UPDATE SKIP LOCKED
                """, logger: logger).collect().map { try $0.decode((Int64, String).self) }
        }
        return due.map { (id: $0.0, e164: $0.1) }
    }

    /// The numbers of `round` that may be sent now; the others are failed or deferred here.
    private func sift(_ round: [(id: Int64, e164: String)], job: (state: JobState, contentKey: String, maxDeferMs: Int64),
                      limits: FrequencyLimits, now: Date, claim: inout ChunkClaim,
                      on connection: PostgresConnection) async throws -> [(id: Int64, e164: String)] {
        let e164s = round.map(\.e164)
        let suppressed = try await suppressionEntries(among: e164s, on: connection)
        let history = try await sendHistory(for: e164s, since: now.addingTimeInterval(-limits.lookback), on: connection)
        var sendable: [(id: Int64, e164: String)] = []
        for number in round {
            if let entry = suppressed[number.e164] {
                try await failNumber(number.id, failureClass: .optedOut, code: "SUPPRESSED", description:
                    "on the suppression list since \(PostgresTime.iso(entry.addedAt)) (\(entry.code))", on: connection)
                claim.suppressed += 1
                continue
            }
            switch limits.decide(history: history[number.e164] ?? [], contentKey: job.contentKey, now: now,
                                 maxDefer: Double(job.maxDeferMs) / 1000) {
            case .sendNow:
                sendable.append(number)
            case .deferUntil(let until, let rule):
                try await connection.query("""
                    UPDATE numbers SET state = 'deferred', deferred_until = \(PostgresTime.milliseconds(until)),
                        description = \("deferred until \(PostgresTime.iso(until)): limit of \(rule) per number"),
                        updated_at = \(nowMilliseconds) WHERE id = \(number.id)
                    """, logger: self.connection.logger)
                claim.deferred += 1
            case .localLimit(let allowedAt, let rule):
                try await failNumber(number.id, failureClass: .retryable, code: "LOCAL_LIMIT", description:
                    "limit of \(rule) per number; allowed again at \(PostgresTime.iso(allowedAt)), later than the job's max-defer",
                    on: connection)
                claim.limited += 1
            }
        }
        return sendable
    }

    /// Commits `numbers` as the job's next chunk, in flight under `fence`, with their send history.
    private func openChunk(_ id: JobID, runner: RunnerLease, fence: Int64, numbers: [(id: Int64, e164: String)],
                           contentKey: String, now: Date, on connection: PostgresConnection) async throws -> ChunkPlan {
        let nowMs = PostgresTime.milliseconds(now), expiry = nowMs + leaseMilliseconds, logger = self.connection.logger
        // The claim is also a sign of life: it renews the lease with the sequence number.
        let sequence = try await connection.query("""
            UPDATE jobs SET next_chunk_seq = next_chunk_seq + 1, heartbeat_at = \(nowMs), lease_expires_at = \(expiry)
            WHERE id = \(id.rawValue) RETURNING next_chunk_seq - 1
            """, logger: logger).collect()[0].decode(Int64.self)
        let tag = ChunkTag.make(instance: instanceTag, job: id, sequence: Int(sequence))
        let chunk = try await connection.query("""
            INSERT INTO chunks(job_id, seq, extend_tag, state, size, runner_token, created_at, fencing_token)
            VALUES (\(id.rawValue), \(sequence), \(tag), 'in-flight', \(Int64(numbers.count)), \(runner.token), \(nowMs), \(fence))
            RETURNING id
            """, logger: logger).collect()[0].decode(Int64.self)
        let ids = numbers.map(\.id), e164s = numbers.map(\.e164)
        try await connection.query("""
            UPDATE numbers SET state = 'sending', chunk_id = \(chunk), deferred_until = NULL, description = NULL,
                updated_at = \(nowMs) WHERE id = ANY(\(ids)::bigint[])
            """, logger: logger)
        try await connection.query("""
            INSERT INTO send_history(number, content_key, sent_at, job_id, chunk_id)
            SELECT n, \(contentKey), \(nowMs), \(id.rawValue), \(chunk) FROM unnest(\(e164s)::text[]) AS u(n)
            """, logger: logger)
        heldLeases[id]?.expiresAt = PostgresTime.date(expiry)
        return ChunkPlan(id: ChunkID(chunk), jobID: id, sequence: Int(sequence), extendTag: tag, numbers: e164s,
                         createdAt: PostgresTime.date(nowMs))
    }

    private func describeQueue(of id: JobID, into claim: inout ChunkClaim, on connection: PostgresConnection) async throws {
        let row = try await connection.query("""
            SELECT min(deferred_until) FILTER (WHERE state = 'deferred'),
                   count(*) FILTER (WHERE state IN ('pending', 'deferred'))
            FROM numbers WHERE job_id = \(id.rawValue) AND state IN ('pending', 'deferred')
            """, logger: self.connection.logger).collect()[0].decode((Int64?, Int64).self)
        claim.nextDeferredDue = row.0.map(PostgresTime.date)
        claim.isDrained = row.1 == 0
    }

    /// The send history of `numbers` since `since`, by number (every job's, every runner's).
    func sendHistory(for numbers: [String], since: Date, on connection: PostgresConnection) async throws -> [String: [SendRecord]] {
        guard !numbers.isEmpty else { return [:] }
        var history: [String: [SendRecord]] = [:]
        let rows = try await connection.query("""
            SELECT number, content_key, sent_at FROM send_history
            WHERE number = ANY(\(numbers)::text[]) AND sent_at > \(PostgresTime.milliseconds(since))
            """, logger: self.connection.logger)
        for try await (number, key, sentAt) in rows.decode((String, String, Int64).self) {
            history[number, default: []].append(SendRecord(contentKey: key, sentAt: PostgresTime.date(sentAt)))
        }
        return history
    }

    /// The suppression entries of `numbers`, by number.
    func suppressionEntries(among numbers: [String], on connection: PostgresConnection) async throws -> [String: SuppressionEntry] {
        var entries: [String: SuppressionEntry] = [:]
        let rows = try await connection.query("""
            SELECT number, code, reason, added_at, source_job_id FROM suppression WHERE number = ANY(\(numbers)::text[])
            """, logger: self.connection.logger)
        for try await (number, code, reason, addedAt, source) in rows.decode((String, String, String, Int64, Int64?).self) {
            entries[number] = SuppressionEntry(number: number, code: code, reason: reason,
                                               addedAt: PostgresTime.date(addedAt), sourceJob: source.map(JobID.init))
        }
        return entries
    }

    private func failNumber(_ id: Int64, failureClass: FailureClass, code: String, description: String,
                            on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE numbers SET state = 'failed', failure_class = \(failureClass.rawValue), stage = 'local', code = \(code),
                description = \(description), deferred_until = NULL, updated_at = \(nowMilliseconds) WHERE id = \(id)
            """, logger: self.connection.logger)
    }
}
