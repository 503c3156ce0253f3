import Foundation
import GroupSMSModel

/// How many chunks and numbers a recovery turned unconfirmed.
struct ChunkSettlementSummary {
    var chunks = 0
    var numbers = 0
}

extension JobStore {
    /// Takes the next numbers of a running job, checks each against the suppression list, its
    /// send window and the frequency limits, and commits the sendable ones as an in-flight chunk,
    /// all in one transaction. Only after this returns may the request leave (at most once).
    ///
    /// Due deferred numbers come first (in the order they became due, then file order), then
    /// pending ones in file order. A number outside its send window (SPEC §8) is deferred with
    /// reason SEND_WINDOW until its window opens, however far off (`--max-defer` is for the
    /// frequency limits only); once the job's send-by deadline has passed, every number it
    /// meets fails as retryable SEND_WINDOW. The window comes first: a number on the suppression
    /// list that is outside its window fails SUPPRESSED when its window opens. A number a limit
    /// blocks is deferred (wait ≤ the job's max-defer) or failed with LOCAL_LIMIT. The chunk is
    /// topped up from the queue, so waiting numbers never stall the rest; a claim looks at no
    /// more than `examinedPerClaim` numbers, and says `hasMoreDue` when it stopped there. The
    /// send history gets one row per chunk number, visible to every other job and process from
    /// the commit on.
    /// Throws `transitionRefused` when the job is no longer running (paused by another process).
    ///
    /// `zones` places numbers in their time zones for a window in local time (see
    /// `SendWindowGate`); the runner passes libphonenumber's.
    ///
    /// With `pace`, the request's start is reserved in the same transaction (SPEC §4): when the
    /// account's or the job's budget has no room for `maxNumbers` now, nothing is claimed and
    /// `paceWaitUntil` says when to ask again. The write lock taken at BEGIN IMMEDIATE means no
    /// other process can reserve between the check and the commit.
    public func claimChunk(for id: JobID, runner: RunnerLease, maxNumbers: Int = JobSettings.maximumRate,
                           limits: FrequencyLimits = .platform, pace: PaceBudget? = nil,
                           zones: (any NumberZoneLookup)? = nil) throws -> ChunkClaim {
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
            try connection.execute("UPDATE jobs SET heartbeat_at = ? WHERE id = ?",
                                   [.integer(StoreTime.milliseconds(now)), .integer(id.rawValue)])
            // The pace is asked for the numbers due now (at most a chunk), so a job whose numbers
            // are all in flight hears that at once, and a small chunk does not wait for room for 500.
            // The rows read here are the loop's first round, so they are not queried twice.
            let due = try dueNumbers(of: id, now: StoreTime.milliseconds(now), limit: maxNumbers)
            if let pace, !due.isEmpty {
                let start = try paceStart(pace, job: id, count: due.count, now: now.addingTimeInterval(pace.lead))
                if start > now.addingTimeInterval(pace.lead) {
                    var claim = ChunkClaim(deferred: 0, limited: 0, suppressed: 0, isDrained: false)
                    claim.paceWaitUntil = start.addingTimeInterval(-pace.lead)
                    return claim
                }
            }
            var work = ClaimWork(job: job, now: now, maxNumbers: maxNumbers, limits: limits,
                                 gate: SendWindowGate(setting: job.sendWindow, sendBy: job.sendBy, at: now, zones: zones))
            try fill(&work, runner: runner, firstRound: due)
            return try finish(work, pace: pace)
        }
    }

    /// Numbers one claim looks at, at most: at night a million Chinese mainland numbers may all
    /// be outside their window, and deferring them is spread over claims rather than done in
    /// one long write (the receiver and other processes wait for the lock meanwhile).
    public static let examinedPerClaim = 10_000

    /// Looks at rounds of due numbers until the chunk is full, the queue is empty or the
    /// claim's share of work is done.
    private func fill(_ work: inout ClaimWork, runner: RunnerLease, firstRound: [QueuedNumber]) throws {
        var round: [QueuedNumber]? = firstRound
        while !work.isFull {
            guard work.examined < Self.examinedPerClaim else {
                work.claim.hasMoreDue = true
                return
            }
            let candidates = try round ?? dueNumbers(of: work.job.id, now: work.nowMs, limit: work.maxNumbers)
            round = nil
            if candidates.isEmpty { return }
            try sift(candidates, into: &work, runner: runner)
            try writeHolds(&work)
        }
    }

    /// Decides a round of candidates: first the send window and the deadline (pure, no query,
    /// so a round the window holds whole costs one write), then, in order until the chunk is
    /// full, the suppression list and the frequency limits for the numbers it let through.
    private func sift(_ candidates: [QueuedNumber], into work: inout ClaimWork, runner: RunnerLease) throws {
        var admitted: [QueuedNumber] = []
        for candidate in candidates where work.admit(candidate) { admitted.append(candidate) }
        work.examined += candidates.count
        guard !admitted.isEmpty else { return }
        let e164s = admitted.map(\.e164)
        try loadValueSets(of: admitted, into: &work)
        let suppressed = try suppressionEntries(among: e164s)
        let history = try sendHistory(for: e164s, since: work.now.addingTimeInterval(-work.limits.lookback))
        for candidate in admitted {
            if work.isFull { return }
            let values = try candidate.valueSet.map { index throws -> (Int64, StoredValueSet) in
                guard let set = work.valueSets[index] else {
                    throw StoreError.invalidInput("value set \(index) of \(work.job.id) is missing from the store")
                }
                return (index, set)
            }
            if let (index, _) = values, !work.groups.accepts(valueSet: index) {
                work.groups.isFull = true
                return
            }
            if candidate.wasPostponed { work.claim.released += 1 }
            if let entry = suppressed[candidate.e164] {
                try failNumber(candidate.id, failureClass: .optedOut, code: "SUPPRESSED",
                               description: entry.skipDescription)
                work.claim.suppressed += 1
                continue
            }
            let contentKey = values?.1.contentKey ?? work.job.contentKey
            switch work.limits.decide(history: history[candidate.e164] ?? [], contentKey: contentKey,
                                      now: work.now, maxDefer: work.job.maxDefer) {
            case .sendNow:
                if let (index, set) = values, !work.groups.add(id: candidate.id, e164: candidate.e164, valueSet: index,
                                                               params: set.params, of: work.job) {
                    work.groups.isFull = true
                    return
                }
                if work.chunk == nil { work.chunk = try openChunk(for: work.job, runner: runner, now: work.nowMs) }
                try addToChunk(&work.chunk!, (candidate.id, candidate.e164), contentKey: contentKey, now: work.nowMs)
            case .deferUntil(let until, let rule):
                try deferForLimit(candidate.id, until: work.job.sendBy.map { min($0, until) } ?? until, rule: rule,
                                  now: work.nowMs)
                work.claim.deferred += 1
            case .localLimit(let allowedAt, let rule):
                try failNumber(candidate.id, failureClass: .retryable, code: "LOCAL_LIMIT",
                               description: "limit of \(rule) per number; allowed again at \(StoreTime.iso(allowedAt)), "
                                   + "later than the job's max-defer")
                work.claim.limited += 1
            }
        }
    }

    /// Sizes and paces the chunk, and reads when the job's deferred numbers are due next.
    private func finish(_ work: ClaimWork, pace: PaceBudget?) throws -> ChunkClaim {
        var claim = work.claim
        let id = work.job.id
        if var plan = work.chunk {
            plan.valueGroups = work.groups.valueGroups { work.valueSets[$0]?.params }
            try connection.execute("UPDATE chunks SET size = ? WHERE id = ?",
                                   [.int(plan.numbers.count), .integer(plan.id.rawValue)])
            if let pace {
                let start = work.now.addingTimeInterval(pace.lead)
                try reservePace(pace, job: id, chunk: plan.id, count: plan.numbers.count, at: start)
                plan.startsAt = start
            }
            claim.chunk = plan
        }
        claim.nextDeferredDue = try connection.scalarInt("""
            SELECT min(deferred_until) FROM numbers WHERE job_id = ? AND state = 'deferred'
            """, [.integer(id.rawValue)]).map(StoreTime.date)
        claim.isDrained = try connection.scalarInt("""
            SELECT EXISTS (SELECT 1 FROM numbers WHERE job_id = ? AND state IN ('pending', 'deferred'))
            """, [.integer(id.rawValue)]) == 0
        return claim
    }

    /// Holds queued numbers of a running job until `until` (e.g. a platform per-number limit):
    /// the given pending or deferred numbers, or all of them when `numbers` is nil, deferred with
    /// reason `code`. They stay in the job and come back through `claimChunk` when due. Returns how many.
    @discardableResult
    public func deferNumbers(of id: JobID, runner: RunnerLease, numbers: [String]? = nil, until: Date,
                             reason: String, code: String = DeferralReason.held) throws -> Int {
        try connection.transaction {
            try requireLease(try loadJob(id), runner)
            var sql = """
                UPDATE numbers SET state = 'deferred', deferred_until = ?, code = ?, description = ?, updated_at = ?
                WHERE job_id = ? AND state IN ('pending', 'deferred')
                """
            var values: [SQLiteValue] = [.time(until), .text(code), .text(reason), .integer(nowMilliseconds),
                                         .integer(id.rawValue)]
            if let numbers {
                sql += " AND e164 IN (SELECT value FROM json_each(?))"
                values.append(.text(StoreJSON.encode(numbers)))
            }
            return try connection.execute(sql, values)
        }
    }

    /// Due deferred numbers (by due time, then file order), then pending ones in file order.
    private func dueNumbers(of id: JobID, now: Int64, limit: Int) throws -> [QueuedNumber] {
        var due = try connection.query("""
            SELECT id, e164, code, value_set FROM numbers WHERE job_id = ? AND state = 'deferred' AND deferred_until <= ?
            ORDER BY deferred_until, position LIMIT ?
            """, [.integer(id.rawValue), .integer(now), .int(limit)]) {
            QueuedNumber(id: $0.int64(0), e164: $0.text(1), waitingFor: $0.optionalText(2), valueSet: $0.optionalInt64(3))
        }
        if due.count < limit {
            due += try connection.query("""
                SELECT id, e164, value_set FROM numbers WHERE job_id = ? AND state = 'pending' ORDER BY position LIMIT ?
                """, [.integer(id.rawValue), .int(limit - due.count)]) {
                QueuedNumber(id: $0.int64(0), e164: $0.text(1), waitingFor: nil, valueSet: $0.optionalInt64(2))
            }
        }
        return due
    }

    private func deferForLimit(_ id: Int64, until: Date, rule: String, now: Int64) throws {
        try connection.execute("""
            UPDATE numbers SET state = 'deferred', deferred_until = ?, code = ?, description = ?, updated_at = ?
            WHERE id = ?
            """, [.time(until), .text(DeferralReason.frequencyLimit),
                  .text("deferred until \(StoreTime.iso(until)): limit of \(rule) per number"), .integer(now), .integer(id)])
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
            UPDATE numbers SET state = 'sending', chunk_id = ?, deferred_until = NULL, code = NULL, description = NULL,
                updated_at = ? WHERE id = ?
            """, [.integer(chunk.id.rawValue), .integer(now), .integer(number.id)])
        try connection.execute("""
            INSERT INTO send_history(number, content_key, sent_at, job_id, chunk_id) VALUES (?, ?, ?, ?, ?)
            """, [.text(number.e164), .text(contentKey), .integer(now), .integer(chunk.jobID.rawValue),
                  .integer(chunk.id.rawValue)])
        chunk.numbers.append(number.e164)
    }

    func failNumber(_ id: Int64, failureClass: FailureClass, code: String, description: String) throws {
        try connection.execute("""
            UPDATE numbers SET state = 'failed', failure_class = ?, stage = 'local', code = ?, description = ?,
                deferred_until = NULL, updated_at = ? WHERE id = ?
            """, [.text(failureClass.rawValue), .text(code), .text(description), .integer(nowMilliseconds), .integer(id)])
    }
}
