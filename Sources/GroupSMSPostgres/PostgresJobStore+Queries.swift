import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// The job with this id.
    public func job(_ id: JobID) async throws -> JobRecord {
        try await transaction { try await loadJob(id, on: $0) }
    }

    /// The job with its counts per state, failures by reason and class, deferrals by reason and
    /// its estimate (the `show --json` object), read in one snapshot so the counts add up.
    public func summary(of id: JobID) async throws -> JobSummary {
        try await transaction { connection in
            try await readOneSnapshot(on: connection)
            return try await summary(for: try await loadJob(id, on: connection), on: connection)
        }
    }

    /// Makes the rest of the caller's transaction read one snapshot of the database, as the
    /// SQLite store's read transactions do: every statement after it sees the same commits, so
    /// a list of jobs and their counts describe one instant. It must come first in the transaction.
    func readOneSnapshot(on connection: PostgresConnection) async throws {
        try await connection.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                                   logger: self.connection.logger)
    }

    /// `job` with its counts per state, failures by reason and class, reruns, deferrals by
    /// reason and its estimate.
    func summary(for job: JobRecord, on connection: PostgresConnection) async throws -> JobSummary {
        let logger = self.connection.logger
        var counts: [NumberState: Int] = [:]
        var reasons: [String: Int] = [:]
        var classes: [FailureClass: Int] = [:]
        let rows = try await connection.run("""
            SELECT state, COALESCE(code, failure_class, 'UNKNOWN'), failure_class, count(*) FROM numbers
            WHERE job_id = \(job.id.rawValue) GROUP BY 1, 2, 3
            """, logger: logger)
        for try await (state, reason, failureClass, count) in rows.decode((String, String, String?, Int).self) {
            guard let state = NumberState(rawValue: state) else { continue }
            counts[state, default: 0] += count
            guard state == .failed else { continue }
            reasons[reason, default: 0] += count
            classes[failureClass.flatMap(FailureClass.init(rawValue:)) ?? .retryable, default: 0] += count
        }
        var reruns: [JobID] = []
        for try await rerun in try await connection.run(
            "SELECT id FROM jobs WHERE rerun_of = \(job.id.rawValue) ORDER BY id", logger: logger).decode(Int64.self) {
            reruns.append(JobID(rerun))
        }
        let deferrals = counts[.deferred] == nil ? ([:], [:]) : try await deferralsByReason(of: job.id, on: connection)
        return JobSummary(job: job, counts: counts, failuresByReason: reasons, failuresByClass: classes,
                          reruns: reruns, deferredByReason: deferrals.0, nextDeferredByReason: deferrals.1,
                          estimate: try await storedEstimate(of: job.id, on: connection))
    }
}
