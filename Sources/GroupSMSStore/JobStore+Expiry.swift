import Foundation
import GroupSMSModel

extension JobStore {
    /// How long the platform may take to send a status report after accepting a message.
    public static let statusReportWindow: TimeInterval = 72 * 3600

    /// Numbers accepted at least 72 h ago (by `now`, default the store's clock) with no final
    /// report become failed: code EXPIRED, class retryable, stage delivery. Returns how many.
    ///
    /// Cheap enough for every daemon tick and every `show`/`export-failed`: one indexed read
    /// (a partial index of accepted numbers by acceptance time) and no write when nothing is due.
    /// A real report arriving later still moves the number on (a DELIVRD makes it delivered).
    @discardableResult
    public func expireOverdueReports(now: Date? = nil) throws -> Int {
        let nowMs = StoreTime.milliseconds(now ?? clock.now())
        let cutoff = SQLiteValue.integer(nowMs - Int64(Self.statusReportWindow * 1000))
        guard try connection.scalarInt("""
            SELECT EXISTS (SELECT 1 FROM numbers WHERE state = 'accepted' AND accepted_at <= ?)
            """, [cutoff]) == 1 else { return 0 }
        return try connection.transaction {
            let byJob = try connection.query("""
                SELECT job_id, count(*) FROM numbers WHERE state = 'accepted' AND accepted_at <= ? GROUP BY job_id
                """, [cutoff]) { (JobID($0.int64(0)), $0.int(1)) }
            let expired = try connection.execute("""
                UPDATE numbers SET state = 'failed', failure_class = 'retryable', stage = 'delivery', code = 'EXPIRED',
                    description = ?, updated_at = ? WHERE state = 'accepted' AND accepted_at <= ?
                """, [.text(Self.expiryDescription), .integer(nowMs), cutoff])
            for (job, count) in byJob {
                try logEvent(job, .expired, "\(count) numbers had no status report 72 h after the platform accepted "
                             + "them: failed EXPIRED (retryable)")
            }
            return expired
        }
    }

    static let expiryDescription = "no status report within 72 h of the platform accepting it (expired here); "
        + "the platform sends reports within 72 h"
}
