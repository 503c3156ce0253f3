import Foundation
import GroupSMSModel

extension JobStore {
    /// Records the platform's answer to an in-flight chunk: each number's outcome, the request
    /// start (the chunk's send history moves to it) and the answer code, in one transaction.
    /// Numbers that were not sent (`retry`, `retryAt`, `notSent`) lose their history row.
    public func recordChunkAnswer(_ chunkID: ChunkID, runner: RunnerLease, answer: ChunkAnswer) throws -> ChunkSettlement {
        try connection.transaction {
            let chunk = try inFlightChunk(chunkID, runner: runner)
            let now = nowMilliseconds
            var settlement = ChunkSettlement()
            for member in try members(of: chunkID) {
                try apply(answer.outcomes[member.e164] ?? answer.unlisted, to: member, chunk: chunk, now: now,
                          settlement: &settlement)
            }
            try connection.execute("UPDATE send_history SET sent_at = ? WHERE chunk_id = ?",
                                   [.time(answer.requestStartedAt), .integer(chunkID.rawValue)])
            try connection.execute("""
                UPDATE chunks SET state = 'answered', request_started_at = ?, answered_at = ?, answer_code = ?,
                    answer_description = ? WHERE id = ?
                """, [.time(answer.requestStartedAt), .integer(now), .text(answer.code), .text(answer.description),
                      .integer(chunkID.rawValue)])
            try resolveHeldReports(forChunk: chunkID)
            return settlement
        }
    }

    /// The chunk's request may have reached the platform but no answer will be recorded (timeout
    /// after sending, connection reset, shutdown): its numbers become unconfirmed and are not
    /// resent unless the user asks (`rerun --include-unconfirmed`).
    public func markChunkUnconfirmed(_ chunkID: ChunkID, runner: RunnerLease, reason: String,
                                     requestStartedAt: Date? = nil) throws -> ChunkSettlement {
        try connection.transaction {
            let chunk = try inFlightChunk(chunkID, runner: runner)
            let count = try unconfirm(chunk: chunkID, reason: reason)
            if let requestStartedAt {
                try connection.execute("UPDATE send_history SET sent_at = ? WHERE chunk_id = ?",
                                       [.time(requestStartedAt), .integer(chunkID.rawValue)])
            }
            try connection.execute("UPDATE chunks SET state = 'unconfirmed', request_started_at = ? WHERE id = ?",
                                   [.time(requestStartedAt), .integer(chunkID.rawValue)])
            try logEvent(chunk.jobID, .unconfirmed, "chunk \(chunk.sequence) (\(count) numbers) is unconfirmed: \(reason)")
            try resolveHeldReports(forChunk: chunkID)
            var settlement = ChunkSettlement()
            settlement.unconfirmed = count
            return settlement
        }
    }

    /// The chunk's request provably never left (DNS, connect or TLS failure): its numbers go back
    /// to the queue and lose their history rows, so the runner may retry them after a back-off.
    public func markChunkNotSent(_ chunkID: ChunkID, runner: RunnerLease, reason: String) throws -> ChunkSettlement {
        try connection.transaction {
            let chunk = try inFlightChunk(chunkID, runner: runner)
            let count = try connection.execute("""
                UPDATE numbers SET state = 'pending', chunk_id = NULL, updated_at = ? WHERE chunk_id = ? AND state = 'sending'
                """, [.integer(nowMilliseconds), .integer(chunkID.rawValue)])
            try connection.execute("DELETE FROM send_history WHERE chunk_id = ?", [.integer(chunkID.rawValue)])
            try connection.execute("UPDATE chunks SET state = 'not-sent', answer_description = ? WHERE id = ?",
                                   [.text(reason), .integer(chunkID.rawValue)])
            try logEvent(chunk.jobID, .notSent, "chunk \(chunk.sequence) was not sent (\(reason)); its \(count) numbers are queued again")
            var settlement = ChunkSettlement()
            settlement.requeued = count
            return settlement
        }
    }

    /// Settles the in-flight chunks of a job whose runner is gone, without resuming it: they become
    /// unconfirmed and the lease is cleared; the state stays (use `resumeJob` to continue).
    /// Refused while the recorded runner is alive.
    public func recoverJob(_ id: JobID) throws -> ResumeReport {
        let settled = try connection.transaction { () throws -> ChunkSettlementSummary in
            let job = try loadJob(id)
            if let runner = job.runner, !options.liveness.isGone(runner, now: clock.now()) {
                throw StoreError.runnerActive(job: id.description, pid: runner.pid, host: runner.host,
                                              heartbeatAt: runner.heartbeatAt)
            }
            let settled = try settleInFlightChunks(of: id, except: nil)
            try connection.execute("UPDATE jobs SET runner_token = NULL, runner_pid = NULL, runner_host = NULL WHERE id = ?",
                                   [.integer(id.rawValue)])
            if settled.chunks > 0 || job.runner != nil {
                try logEvent(id, .recovered, "its runner is gone; \(settled.chunks) in-flight chunks (\(settled.numbers) numbers) are unconfirmed")
            }
            return settled
        }
        return ResumeReport(job: try loadJob(id), recoveredChunks: settled.chunks, recoveredNumbers: settled.numbers)
    }

    /// In-flight chunks of the job not owned by `keepToken` become unconfirmed with their numbers.
    func settleInFlightChunks(of id: JobID, except keepToken: String?) throws -> ChunkSettlementSummary {
        let orphans = try connection.query("""
            SELECT id, seq, runner_token FROM chunks WHERE job_id = ? AND state = 'in-flight' ORDER BY id
            """, [.integer(id.rawValue)]) { (ChunkID($0.int64(0)), $0.int(1), $0.text(2)) }
        var summary = ChunkSettlementSummary()
        for (chunkID, sequence, token) in orphans where token != keepToken {
            let count = try unconfirm(chunk: chunkID, reason: "the runner stopped before the platform's answer was "
                                      + "recorded; the request may have reached the platform")
            try connection.execute("UPDATE chunks SET state = 'unconfirmed' WHERE id = ?", [.integer(chunkID.rawValue)])
            try logEvent(id, .unconfirmed, "chunk \(sequence) (\(count) numbers) was in flight when its runner stopped: unconfirmed")
            try resolveHeldReports(forChunk: chunkID)
            summary.chunks += 1
            summary.numbers += count
        }
        return summary
    }

    private func unconfirm(chunk: ChunkID, reason: String) throws -> Int {
        try connection.execute("""
            UPDATE numbers SET state = 'unconfirmed', failure_class = 'unconfirmed', stage = 'submit',
                code = 'UNCONFIRMED', description = ?, updated_at = ? WHERE chunk_id = ? AND state = 'sending'
            """, [.text(reason), .integer(nowMilliseconds), .integer(chunk.rawValue)])
    }

    private func inFlightChunk(_ chunkID: ChunkID, runner: RunnerLease) throws -> ChunkRecord {
        guard let chunk = try connection.queryFirst("SELECT \(Self.chunkColumns) FROM chunks WHERE id = ?",
                                                    [.integer(chunkID.rawValue)], Self.chunkRecord) else {
            throw StoreError.chunkNotFound(chunkID.rawValue)
        }
        let job = try loadJob(chunk.jobID)
        try requireLease(job, runner)
        let owner = try connection.scalarText("SELECT runner_token FROM chunks WHERE id = ?", [.integer(chunkID.rawValue)])
        guard owner == runner.token else { throw StoreError.leaseLost(job: job.id.description) }
        guard chunk.state == .inFlight else {
            throw StoreError.invalidInput("chunk \(chunk.sequence) of \(job.id) is \(chunk.state.rawValue), not in flight: "
                                          + "its outcome is already recorded")
        }
        return chunk
    }

    private func members(of chunk: ChunkID) throws -> [(id: Int64, e164: String)] {
        try connection.query("SELECT id, e164 FROM numbers WHERE chunk_id = ? AND state = 'sending'",
                             [.integer(chunk.rawValue)]) { ($0.int64(0), $0.text(1)) }
    }

    private func apply(_ outcome: NumberOutcome, to member: (id: Int64, e164: String), chunk: ChunkRecord,
                       now: Int64, settlement: inout ChunkSettlement) throws {
        let id = SQLiteValue.integer(member.id)
        switch outcome {
        case .accepted(let smsMsgId):
            try connection.execute("""
                UPDATE numbers SET state = 'accepted', sms_msg_id = ?, accepted_at = ?, updated_at = ? WHERE id = ?
                """, [.text(smsMsgId), .integer(now), .integer(now), id])
            settlement.accepted += 1
        case .failed(let code, let description, let failureClass):
            try setFailure(member.id, state: .failed, failureClass: failureClass, code: code, description: description, now: now)
            settlement.failed += 1
        case .unconfirmed(let description):
            try setFailure(member.id, state: .unconfirmed, failureClass: .unconfirmed, code: "UNCONFIRMED",
                           description: description, now: now)
            settlement.unconfirmed += 1
        case .notSent(let code, let description):
            try setFailure(member.id, state: .notSent, failureClass: .retryable, code: code, description: description, now: now)
            try forgetSend(member, chunk: chunk)
            settlement.notSent += 1
        case .retry:
            try connection.execute("UPDATE numbers SET state = 'pending', chunk_id = NULL, updated_at = ? WHERE id = ?",
                                   [.integer(now), id])
            try forgetSend(member, chunk: chunk)
            settlement.requeued += 1
        case .retryAt(let until, let reason):
            try connection.execute("""
                UPDATE numbers SET state = 'deferred', deferred_until = ?, code = ?, description = ?, chunk_id = NULL,
                    updated_at = ? WHERE id = ?
                """, [.time(until), .text(DeferralReason.flowControl), .text(reason), .integer(now), id])
            try forgetSend(member, chunk: chunk)
            settlement.requeued += 1
        }
    }

    private func setFailure(_ id: Int64, state: NumberState, failureClass: FailureClass, code: String,
                            description: String, now: Int64) throws {
        try connection.execute("""
            UPDATE numbers SET state = ?, failure_class = ?, stage = 'submit', code = ?, description = ?, updated_at = ?
            WHERE id = ?
            """, [.text(state.rawValue), .text(failureClass.rawValue), .text(code), .text(description), .integer(now),
                  .integer(id)])
    }

    private func forgetSend(_ member: (id: Int64, e164: String), chunk: ChunkRecord) throws {
        try connection.execute("DELETE FROM send_history WHERE chunk_id = ? AND number = ?",
                               [.integer(chunk.id.rawValue), .text(member.e164)])
    }
}
