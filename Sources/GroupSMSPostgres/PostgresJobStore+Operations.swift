import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Returns when the database answered a trivial query within the connection's health
    /// timeout; throws a `PostgresStoreError` saying what is wrong (unreachable, login refused,
    /// timed out) and what to check. Nonisolated: a probe never waits behind the store's work.
    public nonisolated func checkHealth() async throws {
        try await connection.checkHealth()
    }

    /// Job counts by state, unconfirmed numbers over every job, and the numbers whose start is
    /// reserved in `(now - paceSpan, now]` per pace account (as `JobStore.operationsSnapshot`),
    /// read in one snapshot.
    public func operationsSnapshot(now: Date, paceSpan: TimeInterval) async throws -> StoreOperationsSnapshot {
        let logger = connection.logger
        let until = SlidingWindowLimit.microseconds(now)
        let since = SlidingWindowLimit.microseconds(now.addingTimeInterval(-paceSpan))
        return try await transaction { connection in
            try await readOneSnapshot(on: connection)
            var jobs: [JobState: Int] = [:]
            for try await (state, count) in try await connection.run(
                "SELECT state, count(*) FROM jobs GROUP BY state", logger: logger).decode((String, Int).self) {
                if let state = JobState(rawValue: state) { jobs[state, default: 0] += count }
            }
            // Counted job by job, so each count is one range of numbers_by_state (job_id, state, ...)
            // rather than a scan of every number of every job.
            let unconfirmed = try await connection.run("""
                SELECT COALESCE(sum(per_job.n), 0)::bigint FROM jobs CROSS JOIN LATERAL (
                    SELECT count(*) AS n FROM numbers WHERE numbers.job_id = jobs.id AND numbers.state = 'unconfirmed'
                ) AS per_job
                """, logger: logger).collect().first?.decode(Int.self) ?? 0
            var pace: [String: Int] = [:]
            for try await (account, numbers) in try await connection.run("""
                SELECT account, sum(numbers)::bigint FROM pace_reservations
                WHERE starts_at_us > \(since) AND starts_at_us <= \(until) GROUP BY account
                """, logger: logger).decode((String, Int).self) {
                pace[account, default: 0] += numbers
            }
            return StoreOperationsSnapshot(jobs: jobs, unconfirmedNumbers: unconfirmed, paceNumbers: pace)
        }
    }
}
