import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// The first key of the per-number advisory locks ("freq" in ASCII); the second is the
    /// number's `hashtext`. A collision of two numbers only makes their claims take turns.
    static let numberLockSpace: Int32 = 0x6672_6571

    /// Takes this transaction's advisory lock on every number of `numbers` before the claim reads
    /// their send history, so two runners (of two jobs) never both pass the frequency limits for
    /// the same number: the second waits for the first's commit, then reads its send.
    ///
    /// A claim's first set is waited for, in ascending key order in one statement, so two claims
    /// that want overlapping sets lock them in the same order and never deadlock. A claim that
    /// already holds locks only tries later sets (never waits while holding some): a number
    /// whose lock another claim holds is left as it is for the next claim (`hasMoreDue`). The
    /// locks end with the transaction, after the send is recorded; no restart can leave one.
    func lockNumbers(_ numbers: [PostgresQueuedNumber], work: inout PostgresClaimWork,
                     on connection: PostgresConnection) async throws -> [PostgresQueuedNumber] {
        guard !numbers.isEmpty else { return [] }
        let e164s = numbers.map(\.e164), logger = self.connection.logger
        guard work.holdsNumberLocks else {
            work.holdsNumberLocks = true
            // OFFSET 0 keeps the sort below the lock calls: they run in key order.
            _ = try await connection.run("""
                SELECT pg_advisory_xact_lock(\(Self.numberLockSpace), h)
                FROM (SELECT DISTINCT hashtext(n) AS h FROM unnest(\(e164s)::text[]) AS u(n) ORDER BY h OFFSET 0) AS k
                """, logger: logger).collect()
            return numbers
        }
        let rows = try await connection.run("""
            SELECT n FROM (SELECT n, hashtext(n) AS h FROM unnest(\(e164s)::text[]) AS u(n) ORDER BY h OFFSET 0) AS k
            WHERE pg_try_advisory_xact_lock(\(Self.numberLockSpace), h)
            """, logger: logger)
        var locked = Set<String>()
        for try await number in rows.decode(String.self) { locked.insert(number) }
        var kept: [PostgresQueuedNumber] = []
        for number in numbers {
            if locked.contains(number.e164) { kept.append(number) } else { work.skipped.append(number.id) }
        }
        if kept.count < numbers.count { work.claim.hasMoreDue = true }
        return kept
    }

    /// Writes a round's decisions other than the chunk's: window holds (reason SEND_WINDOW and
    /// the instant, no text of their own: a night's million numbers would otherwise store the
    /// same sentence a million times), deadline failures, frequency-limit deferrals and local
    /// failures, one statement for each kind.
    func writeRoundDecisions(_ work: inout PostgresClaimWork, on connection: PostgresConnection) async throws {
        let logger = self.connection.logger, nowMs = work.nowMs
        if !work.windows.holds.isEmpty {
            let held = work.windows.holds.flatMap { until, ids in ids.map { ($0, StoreTime.milliseconds(until)) } }
            try await connection.run("""
                UPDATE numbers n SET state = 'deferred', deferred_until = u.w, code = \(DeferralReason.sendWindow),
                    description = NULL, updated_at = \(nowMs)
                FROM unnest(\(held.map { $0.0 })::bigint[], \(held.map { $0.1 })::bigint[]) AS u(i, w) WHERE n.id = u.i
                """, logger: logger)
        }
        for (description, ids) in work.windows.expiries {
            try await connection.run("""
                UPDATE numbers SET state = 'failed', failure_class = 'retryable', stage = 'local',
                    code = \(DeferralReason.sendWindow), description = \(description), deferred_until = NULL,
                    updated_at = \(nowMs) WHERE id = ANY(\(ids)::bigint[])
                """, logger: logger)
        }
        if !work.limitDeferrals.isEmpty {
            let rows = work.limitDeferrals
            try await connection.run("""
                UPDATE numbers n SET state = 'deferred', deferred_until = u.w, code = \(DeferralReason.frequencyLimit),
                    description = u.d, updated_at = \(nowMs)
                FROM unnest(\(rows.map(\.id))::bigint[], \(rows.map { StoreTime.milliseconds($0.until) })::bigint[],
                            \(rows.map(\.description))::text[]) AS u(i, w, d)
                WHERE n.id = u.i
                """, logger: logger)
        }
        if !work.localFailures.isEmpty {
            let rows = work.localFailures
            try await connection.run("""
                UPDATE numbers n SET state = 'failed', failure_class = u.k, stage = 'local', code = u.c,
                    description = u.d, deferred_until = NULL, updated_at = \(nowMs)
                FROM unnest(\(rows.map(\.id))::bigint[], \(rows.map(\.failureClass.rawValue))::text[],
                            \(rows.map(\.code))::text[], \(rows.map(\.description))::text[]) AS u(i, k, c, d)
                WHERE n.id = u.i
                """, logger: logger)
        }
        work.windows.startNextRound()
        work.limitDeferrals.removeAll(keepingCapacity: true)
        work.localFailures.removeAll(keepingCapacity: true)
    }

    /// Holds queued numbers of a running job until `until` (as `JobStore.deferNumbers`): the
    /// given pending or deferred numbers, or all of them when `numbers` is nil, deferred with
    /// reason `code`, under the fencing check. Returns how many.
    @discardableResult
    public func deferNumbers(of id: JobID, runner: RunnerLease, numbers: [String]? = nil, until: Date,
                             reason: String, code: String = DeferralReason.held) async throws -> Int {
        let now = nowMilliseconds, logger = connection.logger
        return try await transaction { connection in
            _ = try await requireFence(id, runner, on: connection)
            return try await connection.run("""
                WITH held AS (
                    UPDATE numbers SET state = 'deferred', deferred_until = \(StoreTime.milliseconds(until)),
                        code = \(code), description = \(reason), updated_at = \(now)
                    WHERE job_id = \(id.rawValue) AND state IN ('pending', 'deferred')
                        AND (\(numbers == nil) OR e164 = ANY(\(numbers ?? [])::text[]))
                    RETURNING 1)
                SELECT count(*) FROM held
                """, logger: logger).collect()[0].decode(Int.self)
        }
    }

    /// Deferred numbers of a job by reason code (numbers deferred without one count as HELD),
    /// and when each reason's first numbers are due.
    func deferralsByReason(of id: JobID, on connection: PostgresConnection) async throws
        -> (counts: [String: Int], next: [String: Date]) {
        var counts: [String: Int] = [:], next: [String: Date] = [:]
        let rows = try await connection.run("""
            SELECT COALESCE(code, \(DeferralReason.held)), count(*), min(deferred_until) FROM numbers
            WHERE job_id = \(id.rawValue) AND state = 'deferred' GROUP BY 1
            """, logger: self.connection.logger)
        for try await (reason, count, due) in rows.decode((String, Int, Int64?).self) {
            counts[reason] = count
            next[reason] = due.map(StoreTime.date)
        }
        return (counts, next)
    }
}
