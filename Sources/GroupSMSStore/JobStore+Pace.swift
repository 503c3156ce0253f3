import Foundation
import GroupSMSModel

extension JobStore {
    /// Reservations older than this are deleted as claims go by (far past any window).
    static let paceRetention: TimeInterval = 60

    /// The earliest instant at or after `now` at which `count` numbers of job `job` may start
    /// under `budget`, from the reservations of every process on this store.
    func paceStart(_ budget: PaceBudget, job: JobID, count: Int, now: Date) throws -> Date {
        let since = SlidingWindowLimit.microseconds(now.addingTimeInterval(-budget.window))
        let rows = try connection.query("""
            SELECT job_id, starts_at_us, numbers FROM pace_reservations
            WHERE account = ? AND starts_at_us > ? ORDER BY starts_at_us
            """, [.text(budget.account), .integer(since)]) {
            (job: $0.int64(0), at: $0.int64(1), count: $0.int(2))
        }
        return budget.earliestStart(count: count, now: now,
                                    accountStarts: rows.map { ($0.at, $0.count) },
                                    jobStarts: rows.filter { $0.job == job.rawValue }.map { ($0.at, $0.count) })
    }

    /// Records that `count` numbers of job `job` (chunk `chunk`) start at `at` on the account's budget.
    func reservePace(_ budget: PaceBudget, job: JobID, chunk: ChunkID, count: Int, at: Date) throws {
        let microseconds = SlidingWindowLimit.microseconds(at)
        try connection.execute("""
            INSERT INTO pace_reservations(account, job_id, chunk_id, starts_at_us, numbers) VALUES (?, ?, ?, ?, ?)
            """, [.text(budget.account), .integer(job.rawValue), .integer(chunk.rawValue), .integer(microseconds),
                  .int(count)])
        let expired = microseconds - Int64(Self.paceRetention * 1_000_000)
        try connection.execute("DELETE FROM pace_reservations WHERE account = ? AND starts_at_us < ?",
                               [.text(budget.account), .integer(expired)])
    }

    /// Moves a chunk's reserved start to the instant its request really left, when that was
    /// later: a request held up after its commit (a cold connection, a busy machine) then still
    /// counts where the platform sees it, and later claims of every process make room for it.
    public func notePaceStart(of chunk: ChunkID, at start: Date) throws {
        let microseconds = SlidingWindowLimit.microseconds(start)
        try connection.execute("""
            UPDATE pace_reservations SET starts_at_us = ? WHERE chunk_id = ? AND starts_at_us < ?
            """, [.integer(microseconds), .integer(chunk.rawValue), .integer(microseconds)])
    }
}
