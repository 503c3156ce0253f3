import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Every job (or those in `states`), newest first, with counts (as `JobStore.summaries`),
    /// read in one snapshot.
    public func summaries(states: Set<JobState>? = nil) async throws -> [JobSummary] {
        let logger = connection.logger
        let wanted = (states ?? Set(JobState.allCases)).map(\.rawValue)
        return try await transaction { connection in
            try await readOneSnapshot(on: connection)
            var jobs: [JobRecord] = []
            for row in try await connection.run(PostgresQuery(unsafeSQL: """
                SELECT \(PostgresJobRows.jobColumns) FROM jobs WHERE state = ANY($1) ORDER BY id DESC
                """, binds: Self.textArrayBinds(wanted)), logger: logger).collect() {
                jobs.append(try PostgresJobRows.jobRecord(row))
            }
            var summaries: [JobSummary] = []
            for job in jobs { summaries.append(try await summary(for: job, on: connection)) }
            return summaries
        }
    }

    /// Scheduled jobs whose start has come (up to `startTolerance` early, as `startJob` allows),
    /// earliest first and, at the same start, oldest first: what the daemon starts now.
    public func dueJobs() async throws -> [JobRecord] {
        let due = nowMilliseconds + Self.startTolerance, logger = connection.logger
        return try await transaction { connection in
            var jobs: [JobRecord] = []
            for row in try await connection.run(PostgresQuery(unsafeSQL: """
                SELECT \(PostgresJobRows.jobColumns) FROM jobs WHERE state = 'scheduled' AND scheduled_at <= $1
                ORDER BY scheduled_at, id
                """, binds: Self.binds(due)), logger: logger).collect() {
                jobs.append(try PostgresJobRows.jobRecord(row))
            }
            return jobs
        }
    }

    /// The earliest start among scheduled jobs: when the daemon should wake next.
    public func nextScheduledStart() async throws -> Date? {
        let logger = connection.logger
        return try await transaction { connection in
            let rows = try await connection.run("SELECT min(scheduled_at) FROM jobs WHERE state = 'scheduled'",
                                                  logger: logger).collect()
            return try rows.first?.decode(Int64?.self).map(StoreTime.date)
        }
    }

    /// The job's log in order, after event `afterID` (to follow it), at most `limit` entries
    /// (a negative `limit`, as on SQLite, means no limit).
    public func events(of id: JobID, afterID: Int64 = 0, limit: Int = 1000) async throws -> [JobEvent] {
        let logger = connection.logger, most: Int64? = limit < 0 ? nil : Int64(limit)
        return try await transaction { connection in
            var events: [JobEvent] = []
            let rows = try await connection.run("""
                SELECT id, job_id, at, kind, message FROM job_events
                WHERE job_id = \(id.rawValue) AND id > \(afterID) ORDER BY id LIMIT \(most)
                """, logger: logger)
            for try await (eventID, job, at, kind, message) in rows.decode((Int64, Int64, Int64, String, String).self) {
                events.append(JobEvent(id: eventID, jobID: JobID(job), at: StoreTime.date(at),
                                       kind: JobEventKind(rawValue: kind), message: message))
            }
            return events
        }
    }

    /// Appends an entry to the job's log; `jobNotFound` when there is no such job.
    public func appendEvent(to id: JobID, kind: JobEventKind, message: String) async throws {
        try await transaction { connection in
            _ = try await loadJob(id, on: connection)
            try await logEvent(id, kind, message, on: connection)
        }
    }

    private static func textArrayBinds(_ values: [String]) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(values)
        return bindings
    }
}
