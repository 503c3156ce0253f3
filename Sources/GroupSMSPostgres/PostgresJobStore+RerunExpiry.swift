import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// What an expired number's description says (the SQLite store's words).
    static let rerunExpiryDescription = "no status report within 72 h of the platform accepting it (expired here); "
        + "the platform sends reports within 72 h"

    /// Numbers accepted at least 72 h ago with no final report become failed EXPIRED (class
    /// retryable, stage delivery), as `JobStore.expireOverdueReports` does before a rerun, so a
    /// rerun includes them. One UPDATE in its own transaction: a report applied at the same time
    /// holds the number's row, and once it committed the number is no longer accepted and stays
    /// as the report left it.
    func expireOverdueReportsBeforeRerun() async throws {
        let now = nowMilliseconds, logger = connection.logger
        let cutoff = now - Int64(JobStore.statusReportWindow * 1000)
        try await transaction { connection in
            let jobs = try await connection.run("""
                UPDATE numbers SET state = 'failed', failure_class = 'retryable', stage = 'delivery', code = 'EXPIRED',
                    description = \(Self.rerunExpiryDescription), updated_at = \(now)
                WHERE state = 'accepted' AND accepted_at <= \(cutoff) RETURNING job_id
                """, logger: logger).collect().map { try $0.decode(Int64.self) }
            let byJob = Dictionary(grouping: jobs, by: { $0 }).mapValues(\.count)
            for (job, count) in byJob.sorted(by: { $0.key < $1.key }) {
                try await logEvent(JobID(job), .expired, "\(count) numbers had no status report 72 h after the platform "
                                   + "accepted them: failed EXPIRED (retryable)", on: connection)
            }
        }
    }
}
