import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Numbers accepted at least 72 h ago (by `now`, default the store's clock) with no final
    /// report become failed: code EXPIRED, class retryable, stage delivery (as
    /// `JobStore.expireOverdueReports`). Returns how many.
    ///
    /// Cheap enough for every daemon tick: one indexed read (the partial index of accepted
    /// numbers by acceptance time) and no write when nothing is due. The due numbers are locked
    /// in id order, the order receivers lock theirs in, and a number a report settled meanwhile
    /// is left alone. A real report arriving later still moves the number on.
    @discardableResult
    public func expireOverdueReports(now: Date? = nil) async throws -> Int {
        let nowMs = StoreTime.milliseconds(now ?? clock.now())
        let cutoff = nowMs - Int64(JobStore.statusReportWindow * 1000)
        let due = try await connection.query("""
            SELECT EXISTS (SELECT 1 FROM numbers WHERE state = 'accepted' AND accepted_at <= \(cutoff))
            """).first?.decode(Bool.self)
        guard due == true else { return 0 }
        let logger = connection.logger
        // Retried when the server breaks a deadlock with a receiver confirming one of these numbers.
        let expired = try await reportTransaction(until: nil) { connection in
            let jobs = try await connection.run("""
                WITH due AS (
                    SELECT id FROM numbers WHERE state = 'accepted' AND accepted_at <= \(cutoff) ORDER BY id FOR UPDATE)
                UPDATE numbers n SET state = 'failed', failure_class = 'retryable', stage = 'delivery', code = 'EXPIRED',
                    description = \(Self.expiryDescription), updated_at = \(nowMs)
                FROM due WHERE n.id = due.id AND n.state = 'accepted'
                RETURNING n.job_id
                """, logger: logger).collect().map { try $0.decode(Int64.self) }
            for (job, count) in Dictionary(grouping: jobs, by: { $0 }).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
                try await logEvent(JobID(job), .expired, "\(count) numbers had no status report 72 h after the platform "
                                   + "accepted them: failed EXPIRED (retryable)", on: connection)
            }
            return jobs.count
        }
        return expired ?? 0
    }

    /// The SQLite store's description of an expired number.
    static let expiryDescription = "no status report within 72 h of the platform accepting it (expired here); "
        + "the platform sends reports within 72 h"
}
