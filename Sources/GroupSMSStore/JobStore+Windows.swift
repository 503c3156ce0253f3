import Foundation
import GroupSMSModel

/// A queued number as a claim reads it: its row, its E.164 form and, when deferred, why.
struct QueuedNumber {
    var id: Int64
    var e164: String
    /// The deferral reason code; nil for a pending number.
    var waitingFor: String?
    /// A personalised job's tuple of values for the number; nil when the job has none.
    var valueSet: Int64? = nil

    /// Whether it was waiting for its send window.
    var wasPostponed: Bool { waitingFor == DeferralReason.sendWindow }
}


/// What one claim has decided so far (see `JobStore.claimChunk`).
struct ClaimWork {
    let job: JobRecord
    let now: Date
    let nowMs: Int64
    let maxNumbers: Int
    let limits: FrequencyLimits
    /// The round's window holds and deadline failures, written together by `writeHolds`.
    var windows: WindowAdmissions
    var claim = ChunkClaim(deferred: 0, limited: 0, suppressed: 0, isDrained: false)
    var chunk: ChunkPlan?
    /// Numbers looked at so far (see `JobStore.examinedPerClaim`).
    var examined = 0
    /// A personalised job's request groups so far (≤ 500 numbers, ≤ 100 groups, ≤ 64 KB).
    var groups = ValueGroupCollector()
    /// The tuples this claim has read, by index.
    var valueSets: [Int64: StoredValueSet] = [:]

    init(job: JobRecord, now: Date, maxNumbers: Int, limits: FrequencyLimits, gate: SendWindowGate) {
        self.job = job
        self.now = now
        nowMs = StoreTime.milliseconds(now)
        self.maxNumbers = maxNumbers
        self.limits = limits
        windows = WindowAdmissions(gate: gate)
    }

    /// Whether the chunk holds as many numbers as the claim may send.
    var isFull: Bool { groups.isFull || (chunk?.numbers.count ?? 0) >= maxNumbers }

    /// Applies the job's send window and deadline to `number`: true when it may go on to the
    /// suppression list and the frequency limits (which count it as released when it was
    /// postponed); otherwise it is noted to be held or failed with the round.
    mutating func admit(_ number: QueuedNumber) -> Bool {
        windows.admit(id: number.id, e164: number.e164, wasPostponed: number.wasPostponed, into: &claim)
    }
}

extension JobStore {
    /// Writes the round's window holds and deadline failures: one statement per instant
    /// rather than one per number, since a window may hold most of a round. A held number
    /// carries its reason (SEND_WINDOW) and instant and no text of its own: a night's million
    /// numbers would otherwise store the same sentence a million times.
    func writeHolds(_ work: inout ClaimWork) throws {
        for (until, ids) in work.windows.holds {
            try connection.execute("""
                UPDATE numbers SET state = 'deferred', deferred_until = ?, code = ?, description = NULL, updated_at = ?
                WHERE id IN (SELECT value FROM json_each(?))
                """, [.time(until), .text(DeferralReason.sendWindow), .integer(work.nowMs), .text(Self.idList(ids))])
        }
        for (description, ids) in work.windows.expiries {
            try connection.execute("""
                UPDATE numbers SET state = 'failed', failure_class = 'retryable', stage = 'local', code = ?,
                    description = ?, deferred_until = NULL, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))
                """, [.text(DeferralReason.sendWindow), .text(description), .integer(work.nowMs), .text(Self.idList(ids))])
        }
        work.windows.startNextRound()
    }

    /// Row ids as a JSON array for `json_each`.
    private static func idList(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// Deferred numbers of a job by reason code (numbers deferred before reasons were recorded
    /// count as HELD), and when each reason's first numbers are due.
    func deferralsByReason(of id: JobID) throws -> (counts: [String: Int], next: [String: Date]) {
        var counts: [String: Int] = [:]
        var next: [String: Date] = [:]
        for (reason, count, due) in try connection.query("""
            SELECT ifnull(code, ?), count(*), min(deferred_until) FROM numbers
            WHERE job_id = ? AND state = 'deferred' GROUP BY 1
            """, [.text(DeferralReason.held), .integer(id.rawValue)], { ($0.text(0), $0.int(1), $0.optionalDate(2)) }) {
            counts[reason] = count
            next[reason] = due
        }
        return (counts, next)
    }
}
