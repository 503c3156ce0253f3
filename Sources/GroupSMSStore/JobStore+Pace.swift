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

    /// Records that `count` numbers of job `job` start at `at` on the account's budget.
    func reservePace(_ budget: PaceBudget, job: JobID, count: Int, at: Date) throws {
        let microseconds = SlidingWindowLimit.microseconds(at)
        try connection.execute("""
            INSERT INTO pace_reservations(account, job_id, starts_at_us, numbers) VALUES (?, ?, ?, ?)
            """, [.text(budget.account), .integer(job.rawValue), .integer(microseconds), .int(count)])
        let expired = microseconds - Int64(Self.paceRetention * 1_000_000)
        try connection.execute("DELETE FROM pace_reservations WHERE account = ? AND starts_at_us < ?",
                               [.text(budget.account), .integer(expired)])
    }
}
