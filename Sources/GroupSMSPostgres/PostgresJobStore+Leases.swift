import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// A scheduled job may start this long before its time (the daemon's sleep may end a hair early).
    static let startTolerance: Int64 = 1000

    /// Starts a scheduled job that is due under `runner`'s new lease (fencing token one up).
    /// One conditional UPDATE does it, so when many daemons try at the same instant the row lock
    /// lets one through and every other one finds the job running: `transitionRefused`.
    public func startJob(_ id: JobID, runner: RunnerLease) async throws -> JobRecord {
        let now = nowMilliseconds, expiry = now + leaseMilliseconds, logger = connection.logger
        let (job, fence) = try await transaction { connection -> (JobRecord, Int64) in
            let granted = try await connection.run("""
                UPDATE jobs SET state = 'running', started_at = \(now), runner_token = \(runner.token),
                    runner_pid = \(Int64(runner.pid)), runner_host = \(runner.host), heartbeat_at = \(now),
                    fencing_token = fencing_token + 1, lease_expires_at = \(expiry)
                WHERE id = \(id.rawValue) AND state = 'scheduled' AND scheduled_at - \(Self.startTolerance) <= \(now)
                RETURNING fencing_token
                """, logger: logger).collect()
            guard let fence = try granted.first?.decode(Int64.self) else {
                let job = try await loadJob(id, on: connection)
                let reason = job.state == .scheduled ? "it is scheduled for \(StoreTime.iso(job.scheduledAt))"
                    : "only a scheduled job can be started; use resume for a paused one"
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "start", reason: reason)
            }
            try await logEvent(id, .started, "started by process \(runner.pid) on \(runner.host)", on: connection)
            return (try await loadJob(id, on: connection), fence)
        }
        heldLeases.withLock { $0[id] = FencedLease(runner: runner, fencingToken: fence, expiresAt: StoreTime.date(expiry)) }
        return job
    }

    /// Renews the lease for another `options.leaseDuration` and returns the job's state, so the
    /// runner learns of a pause. Throws `leaseLost` once another runner took the job over.
    public func heartbeat(_ id: JobID, runner: RunnerLease) async throws -> JobState {
        let held = try heldLease(id, runner)
        let now = nowMilliseconds, expiry = now + leaseMilliseconds, logger = connection.logger
        let state = try await transaction { connection -> String? in
            let rows = try await connection.run("""
                UPDATE jobs SET heartbeat_at = \(now), lease_expires_at = \(expiry)
                WHERE id = \(id.rawValue) AND runner_token = \(runner.token) AND fencing_token = \(held.fencingToken)
                RETURNING state
                """, logger: logger).collect()
            return try rows.first?.decode(String.self)
        }
        guard let state else { throw lost(id) }
        heldLeases.withLock { $0[id]?.expiresAt = StoreTime.date(expiry) }
        return JobState(rawValue: state) ?? .failed
    }

    /// Takes a paused job, or a running job whose lease expired, over for `runner` (as
    /// `JobStore.resumeJob`): in one transaction the job row is locked `FOR UPDATE` (waiting for
    /// claims and answers under way), every in-flight chunk of earlier leases becomes unconfirmed
    /// with its numbers, and the job gets `runner` and a fencing token one up. Refused with
    /// `runnerActive` while another runner's lease runs.
    public func resumeJob(_ id: JobID, runner: RunnerLease) async throws -> ResumeReport {
        let now = nowMilliseconds, expiry = now + leaseMilliseconds, logger = connection.logger
        let (report, fence) = try await transaction { connection -> (ResumeReport, Int64) in
            // Before the job row, as receivers take them: settling in-flight chunks resolves held reports.
            try await shareHeldReportsLock(on: connection)
            let rows = try await connection.run("""
                SELECT state, lease_expires_at, fencing_token FROM jobs WHERE id = \(id.rawValue) FOR UPDATE
                """, logger: logger).collect()
            guard let lock = try rows.first?.decode((String, Int64?, Int64).self) else {
                throw StoreError.jobNotFound(id.description)
            }
            let (state, expires, fence) = lock
            let job = try await loadJob(id, on: connection)
            guard state == "running" || state == "paused" else {
                let reason = job.state == .scheduled ? "it has not started; it starts at \(StoreTime.iso(job.scheduledAt))"
                    : "it is over"
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "resume", reason: reason)
            }
            if let current = job.runner, current.token != runner.token, let expires, expires > now {
                throw StoreError.runnerActive(job: id.description, pid: current.pid, host: current.host,
                                              heartbeatAt: current.heartbeatAt)
            }
            let settled = try await settleInFlightChunks(of: id, on: connection)
            try await connection.run("""
                UPDATE jobs SET state = 'running', started_at = COALESCE(started_at, \(now)), runner_token = \(runner.token),
                    runner_pid = \(Int64(runner.pid)), runner_host = \(runner.host), heartbeat_at = \(now),
                    last_error = NULL, fencing_token = \(fence + 1), lease_expires_at = \(expiry)
                WHERE id = \(id.rawValue)
                """, logger: logger)
            var message = "taken over by process \(runner.pid) on \(runner.host) (lease \(fence + 1))"
            if settled.chunks > 0 {
                message += "; \(settled.chunks) in-flight chunks of the previous runner (\(settled.numbers) numbers) are unconfirmed"
            }
            try await logEvent(id, .resumed, message, on: connection)
            let report = ResumeReport(job: try await loadJob(id, on: connection), recoveredChunks: settled.chunks,
                                      recoveredNumbers: settled.numbers)
            return (report, fence + 1)
        }
        heldLeases.withLock { $0[id] = FencedLease(runner: runner, fencingToken: fence, expiresAt: StoreTime.date(expiry)) }
        return report
    }

    /// Running jobs whose lease has expired (what a daemon takes over, `resumeJob`), and paused
    /// jobs whose runner's lease expired before it let go (what it recovers, `recoverJob`).
    public func abandonedJobs() async throws -> [JobRecord] {
        let now = nowMilliseconds, logger = connection.logger
        return try await transaction { connection in
            var jobs: [JobRecord] = []
            for row in try await connection.run(PostgresQuery(unsafeSQL: """
                SELECT \(PostgresJobRows.jobColumns) FROM jobs
                WHERE (state = 'running' OR (state = 'paused' AND runner_token IS NOT NULL))
                    AND (lease_expires_at IS NULL OR lease_expires_at <= $1) ORDER BY id
                """, binds: Self.binds(now)), logger: logger).collect() {
                jobs.append(try PostgresJobRows.jobRecord(row))
            }
            return jobs
        }
    }

    /// Every in-flight chunk of the job becomes unconfirmed with its sending numbers (the caller
    /// holds the job row `FOR UPDATE`, so no claim under an older lease is still adding one).
    func settleInFlightChunks(of id: JobID, on connection: PostgresConnection) async throws -> (chunks: Int, numbers: Int) {
        let logger = self.connection.logger, now = nowMilliseconds
        let chunks = try await connection.run("""
            UPDATE chunks SET state = 'unconfirmed' WHERE job_id = \(id.rawValue) AND state = 'in-flight'
            RETURNING id, seq
            """, logger: logger).collect().map { try $0.decode((Int64, Int64).self) }
        var numbers = 0
        for (chunk, sequence) in chunks.sorted(by: { $0.1 < $1.1 }) {
            let count = try await unconfirm(chunk: ChunkID(chunk), reason: "the runner stopped before the platform's "
                                            + "answer was recorded; the request may have reached the platform",
                                            now: now, on: connection)
            try await logEvent(id, .unconfirmed, "chunk \(sequence) (\(count) numbers) was in flight when its runner "
                               + "stopped: unconfirmed", on: connection)
            try await resolveHeldReports(forChunk: ChunkID(chunk), on: connection)
            numbers += count
        }
        return (chunks.count, numbers)
    }

    /// The chunk's sending numbers become unconfirmed; returns how many.
    func unconfirm(chunk: ChunkID, reason: String, now: Int64, on connection: PostgresConnection) async throws -> Int {
        try await connection.run("""
            UPDATE numbers SET state = 'unconfirmed', failure_class = 'unconfirmed', stage = 'submit',
                code = 'UNCONFIRMED', description = \(reason), updated_at = \(now)
            WHERE chunk_id = \(chunk.rawValue) AND state = 'sending' RETURNING id
            """, logger: self.connection.logger).collect().count
    }

    /// Locks the job row `FOR KEY SHARE` where `runner` and the fencing token this process was
    /// granted still hold it, and returns its state, content key and max-defer (ms); throws
    /// `leaseLost` when they do not. Every runner write starts with this, in its own transaction.
    func requireFence(_ id: JobID, _ runner: RunnerLease,
                      on connection: PostgresConnection) async throws -> (state: JobState, contentKey: String, maxDeferMs: Int64) {
        let held = try heldLease(id, runner)
        let rows = try await connection.run("""
            SELECT state, content_key, max_defer_ms FROM jobs
            WHERE id = \(id.rawValue) AND runner_token = \(runner.token) AND fencing_token = \(held.fencingToken)
            FOR KEY SHARE
            """, logger: self.connection.logger).collect()
        guard let row = try rows.first?.decode((String, String, Int64).self) else { throw lost(id) }
        return (JobState(rawValue: row.0) ?? .failed, row.1, row.2)
    }

    func heldLease(_ id: JobID, _ runner: RunnerLease) throws -> FencedLease {
        guard let held = heldLeases.withLock({ $0[id] }), held.runner.token == runner.token else { throw lost(id) }
        return held
    }

    func lost(_ id: JobID) -> StoreError { .leaseLost(job: id.description) }

    var leaseMilliseconds: Int64 { Int64((options.leaseDuration * 1000).rounded()) }
}
