import Foundation
import GroupSMSModel
import GroupSMSStore
import Logging
import PostgresNIO

extension PostgresJobStore {
    /// Records the platform's answer to an in-flight chunk (as `JobStore.recordChunkAnswer`):
    /// each number's outcome, the request start (the chunk's send history moves to it) and the
    /// answer code, in one transaction that first checks this process's fencing token, so a
    /// runner whose job was taken over writes nothing and gets `leaseLost`.
    public func recordChunkAnswer(_ chunkID: ChunkID, runner: RunnerLease, answer: ChunkAnswer) async throws -> ChunkSettlement {
        let now = nowMilliseconds, logger = connection.logger
        return try await transaction { connection in
            _ = try await fencedInFlightChunk(chunkID, runner: runner, on: connection)
            let members = try await connection.run("""
                SELECT id, e164 FROM numbers WHERE chunk_id = \(chunkID.rawValue) AND state = 'sending'
                """, logger: logger).collect().map { try $0.decode((Int64, String).self) }
            var columns = AnswerColumns()
            for (id, e164) in members { columns.append(id: id, e164: e164, answer.outcomes[e164] ?? answer.unlisted) }
            try await columns.apply(chunk: chunkID, now: now, on: connection, logger: logger)
            let started = StoreTime.milliseconds(answer.requestStartedAt)
            try await connection.run("UPDATE send_history SET sent_at = \(started) WHERE chunk_id = \(chunkID.rawValue)",
                                       logger: logger)
            try await connection.run("""
                UPDATE chunks SET state = 'answered', request_started_at = \(started), answered_at = \(now),
                    answer_code = \(answer.code), answer_description = \(answer.description) WHERE id = \(chunkID.rawValue)
                """, logger: logger)
            try await resolveHeldReports(forChunk: chunkID, on: connection)
            return columns.settlement
        }
    }

    /// The chunk's request may have reached the platform but no answer will be recorded: its
    /// numbers become unconfirmed (as `JobStore.markChunkUnconfirmed`), under the fencing check.
    public func markChunkUnconfirmed(_ chunkID: ChunkID, runner: RunnerLease, reason: String,
                                     requestStartedAt: Date? = nil) async throws -> ChunkSettlement {
        let now = nowMilliseconds, logger = connection.logger
        return try await transaction { connection in
            let (jobID, sequence) = try await fencedInFlightChunk(chunkID, runner: runner, on: connection)
            let count = try await unconfirm(chunk: chunkID, reason: reason, now: now, on: connection)
            let started = requestStartedAt.map(StoreTime.milliseconds)
            if let started {
                try await connection.run("UPDATE send_history SET sent_at = \(started) WHERE chunk_id = \(chunkID.rawValue)",
                                           logger: logger)
            }
            try await connection.run("""
                UPDATE chunks SET state = 'unconfirmed', request_started_at = \(started) WHERE id = \(chunkID.rawValue)
                """, logger: logger)
            try await logEvent(jobID, .unconfirmed, "chunk \(sequence) (\(count) numbers) is unconfirmed: \(reason)",
                               on: connection)
            try await resolveHeldReports(forChunk: chunkID, on: connection)
            var settlement = ChunkSettlement()
            settlement.unconfirmed = count
            return settlement
        }
    }

    /// The chunk's request provably never left (as `JobStore.markChunkNotSent`): its numbers go
    /// back to the queue and lose their history rows, under the fencing check.
    public func markChunkNotSent(_ chunkID: ChunkID, runner: RunnerLease, reason: String) async throws -> ChunkSettlement {
        let now = nowMilliseconds, logger = connection.logger
        return try await transaction { connection in
            let (jobID, sequence) = try await fencedInFlightChunk(chunkID, runner: runner, on: connection)
            let count = try await connection.run("""
                WITH queued AS (
                    UPDATE numbers SET state = 'pending', chunk_id = NULL, updated_at = \(now)
                    WHERE chunk_id = \(chunkID.rawValue) AND state = 'sending' RETURNING 1)
                SELECT count(*) FROM queued
                """, logger: logger).collect()[0].decode(Int.self)
            try await connection.run("DELETE FROM send_history WHERE chunk_id = \(chunkID.rawValue)", logger: logger)
            try await connection.run("""
                UPDATE chunks SET state = 'not-sent', answer_description = \(reason) WHERE id = \(chunkID.rawValue)
                """, logger: logger)
            try await logEvent(jobID, .notSent, "chunk \(sequence) was not sent (\(reason)); its \(count) numbers are "
                               + "queued again", on: connection)
            var settlement = ChunkSettlement()
            settlement.requeued = count
            return settlement
        }
    }

    /// The chunk's job and sequence, once the job row is locked under this process's fencing
    /// token and the chunk is known to be in flight under that same token.
    private func fencedInFlightChunk(_ chunkID: ChunkID, runner: RunnerLease,
                                     on connection: PostgresConnection) async throws -> (JobID, Int64) {
        let rows = try await connection.run("""
            SELECT job_id, seq, state, runner_token, fencing_token FROM chunks WHERE id = \(chunkID.rawValue)
            """, logger: self.connection.logger).collect()
        guard let chunk = try rows.first?.decode((Int64, Int64, String, String, Int64).self) else {
            throw StoreError.chunkNotFound(chunkID.rawValue)
        }
        let jobID = JobID(chunk.0)
        _ = try await requireFence(jobID, runner, on: connection)
        guard chunk.3 == runner.token, chunk.4 == heldLeases.withLock({ $0[jobID]?.fencingToken }) else { throw lost(jobID) }
        guard chunk.2 == ChunkState.inFlight.rawValue else {
            throw StoreError.invalidInput("chunk \(chunk.1) of \(jobID) is \(chunk.2), not in flight: its outcome is "
                                          + "already recorded")
        }
        return (jobID, chunk.1)
    }
}

/// The outcomes of an answered chunk's numbers as one array per column, written with one
/// UPDATE over `unnest`; "" and -1 stand for "leave as it is" (arrays carry no NULLs here).
struct AnswerColumns {
    private var ids: [Int64] = [], states: [String] = [], classes: [String] = [], codes: [String] = []
    private var descriptions: [String] = [], messageIDs: [String] = [], deferredUntil: [Int64] = []
    /// Numbers whose send never happened: their history rows go.
    private var unsent: [String] = []
    private(set) var settlement = ChunkSettlement()

    mutating func append(id: Int64, e164: String, _ outcome: NumberOutcome) {
        var state = "", failureClass = "", code = "", description = "", messageID = "", until: Int64 = -1
        switch outcome {
        case .accepted(let smsMsgId):
            (state, messageID) = ("accepted", smsMsgId)
            settlement.accepted += 1
        case .failed(let failureCode, let text, let failure):
            (state, failureClass, code, description) = ("failed", failure.rawValue, failureCode, text)
            settlement.failed += 1
        case .unconfirmed(let text):
            (state, failureClass, code, description) = ("unconfirmed", "unconfirmed", "UNCONFIRMED", text)
            settlement.unconfirmed += 1
        case .notSent(let failureCode, let text):
            (state, failureClass, code, description) = ("not-sent", "retryable", failureCode, text)
            unsent.append(e164)
            settlement.notSent += 1
        case .retry:
            state = "pending"
            unsent.append(e164)
            settlement.requeued += 1
        case .retryAt(let date, let reason):
            (state, code, description, until) = ("deferred", DeferralReason.flowControl, reason,
                                                 StoreTime.milliseconds(date))
            unsent.append(e164)
            settlement.requeued += 1
        }
        ids.append(id)
        states.append(state)
        classes.append(failureClass)
        codes.append(code)
        descriptions.append(description)
        messageIDs.append(messageID)
        deferredUntil.append(until)
    }

    func apply(chunk: ChunkID, now: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.run("""
            UPDATE numbers n SET state = u.s,
                failure_class = CASE WHEN u.k = '' THEN n.failure_class ELSE u.k END,
                stage = CASE WHEN u.k = '' THEN n.stage ELSE 'submit' END,
                code = CASE WHEN u.c = '' THEN n.code ELSE u.c END,
                description = CASE WHEN u.d = '' THEN n.description ELSE u.d END,
                sms_msg_id = CASE WHEN u.m = '' THEN n.sms_msg_id ELSE u.m END,
                accepted_at = CASE WHEN u.s = 'accepted' THEN \(now) ELSE n.accepted_at END,
                deferred_until = CASE WHEN u.w = -1 THEN n.deferred_until ELSE u.w END,
                chunk_id = CASE WHEN u.s IN ('pending', 'deferred') THEN NULL ELSE n.chunk_id END,
                updated_at = \(now)
            FROM unnest(\(ids)::bigint[], \(states)::text[], \(classes)::text[], \(codes)::text[],
                        \(descriptions)::text[], \(messageIDs)::text[], \(deferredUntil)::bigint[]) AS u(i, s, k, c, d, m, w)
            WHERE n.id = u.i AND n.state = 'sending'
            """, logger: logger)
        if !unsent.isEmpty {
            try await connection.run("""
                DELETE FROM send_history WHERE chunk_id = \(chunk.rawValue) AND number = ANY(\(unsent)::text[])
                """, logger: logger)
        }
    }
}
