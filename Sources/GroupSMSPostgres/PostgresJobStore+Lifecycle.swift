import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Pauses a running job (any process may ask), as `JobStore.pauseJob`. The lease stays with
    /// the runner: its next heartbeat returns `paused` and its next claim is refused, so it lets
    /// its in-flight chunks finish and releases the job. The job row is locked `FOR UPDATE`, so
    /// a claim or answer under way commits first.
    public func pauseJob(_ id: JobID, reason: String = "paused by the user") async throws -> JobRecord {
        let logger = connection.logger
        return try await transaction { connection in
            let (job, _) = try await lockedJob(id, on: connection)
            guard job.state.canMove(to: .paused) else {
                let advice = job.state == .scheduled ? "a job that has not started can be cancelled or rescheduled instead"
                    : "only a running job can be paused"
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "pause", reason: advice)
            }
            try await connection.run("UPDATE jobs SET state = 'paused', last_error = \(reason) WHERE id = \(id.rawValue)",
                                       logger: logger)
            try await logEvent(id, .paused, reason, on: connection)
            return try await loadJob(id, on: connection)
        }
    }

    /// Stops a running or paused job for good (a fatal authentication or account error), as
    /// `JobStore.failJob`, under `runner`'s fencing check: in-flight chunks become unconfirmed,
    /// queued numbers not-sent with `code`, `message` is kept, and the lease ends.
    public func failJob(_ id: JobID, runner: RunnerLease, code: String, message: String) async throws -> JobRecord {
        let now = nowMilliseconds, logger = connection.logger
        let job = try await transaction { connection in
            let fenced = try await requireFence(id, runner, on: connection)
            // The take-over's lock: no claim under this lease is still adding a chunk.
            try await connection.run("SELECT 1 FROM jobs WHERE id = \(id.rawValue) FOR UPDATE", logger: logger)
            guard fenced.state.canMove(to: .failed) else {
                throw StoreError.transitionRefused(job: id.description, state: fenced.state, action: "fail",
                                                   reason: "only a running or paused job can fail")
            }
            _ = try await settleInFlightChunks(of: id, on: connection)
            let count = try await markQueuedNotSent(id, code: code, description: message, now: now, on: connection)
            try await connection.run("""
                UPDATE jobs SET state = 'failed', finished_at = \(now), last_error = \(message), runner_token = NULL,
                    runner_pid = NULL, runner_host = NULL, lease_expires_at = NULL WHERE id = \(id.rawValue)
                """, logger: logger)
            try await logEvent(id, .failed, "\(message); \(count) numbers not sent", on: connection)
            return try await loadJob(id, on: connection)
        }
        heldLeases.withLock { $0[id] = nil }
        return job
    }

    /// Settles the in-flight chunks of a job whose runner is gone without resuming it, as
    /// `JobStore.recoverJob`: they become unconfirmed, the runner is cleared and the state stays
    /// (`resumeJob` continues it). Here a runner is gone once its lease expired; while it runs,
    /// `runnerActive`. The fencing token stays, so the old runner's later writes find no lease.
    public func recoverJob(_ id: JobID) async throws -> ResumeReport {
        let now = nowMilliseconds, logger = connection.logger
        let report = try await transaction { connection in
            let (job, expires) = try await lockedJob(id, on: connection)
            if let runner = job.runner, let expires, expires > now {
                throw StoreError.runnerActive(job: id.description, pid: runner.pid, host: runner.host,
                                              heartbeatAt: runner.heartbeatAt)
            }
            let settled = try await settleInFlightChunks(of: id, on: connection)
            try await connection.run("""
                UPDATE jobs SET runner_token = NULL, runner_pid = NULL, runner_host = NULL, lease_expires_at = NULL
                WHERE id = \(id.rawValue)
                """, logger: logger)
            if settled.chunks > 0 || job.runner != nil {
                try await logEvent(id, .recovered, "its runner is gone (its lease expired); \(settled.chunks) in-flight "
                                   + "chunks (\(settled.numbers) numbers) are unconfirmed", on: connection)
            }
            return ResumeReport(job: try await loadJob(id, on: connection), recoveredChunks: settled.chunks,
                                recoveredNumbers: settled.numbers)
        }
        heldLeases.withLock { $0[id] = nil }
        return report
    }

    /// Cancels a scheduled job, as `JobStore.cancelJob`: refused (`ScheduleError`) from the
    /// rules' cutoff before its start onwards (FAQ 9.4); its queued numbers become not-sent
    /// (code CANCELLED). A refusal leaves the transaction as a returned `ScheduleError` and is
    /// thrown after it, since `transaction` passes only `StoreError`s through as they are.
    public func cancelJob(_ id: JobID, rules: ScheduleRules = ScheduleRules()) async throws -> JobRecord {
        let now = clock.now(), logger = connection.logger
        let outcome = try await transaction { connection -> Result<JobRecord, ScheduleError> in
            let (job, _) = try await lockedJob(id, on: connection)
            do throws(ScheduleError) {
                try rules.checkCancel(job: id.description, state: job.state, start: job.scheduledAt, now: now)
            } catch {
                return .failure(error)
            }
            let nowMs = StoreTime.milliseconds(now)
            try await connection.run("UPDATE jobs SET state = 'cancelled', finished_at = \(nowMs) WHERE id = \(id.rawValue)",
                                       logger: logger)
            let count = try await markQueuedNotSent(id, code: "CANCELLED", description: "the job was cancelled before it started",
                                                    now: nowMs, on: connection)
            try await logEvent(id, .cancelled, "cancelled before its start; \(count) numbers not sent", on: connection)
            return .success(try await loadJob(id, on: connection))
        }
        return try outcome.get()
    }

    /// Moves a scheduled job's start, as `JobStore.rescheduleJob`: the same cutoff as cancel, and
    /// the new start must not be past (`ScheduleError`).
    public func rescheduleJob(_ id: JobID, to start: Date, rules: ScheduleRules = ScheduleRules()) async throws -> JobRecord {
        let now = clock.now(), logger = connection.logger
        let outcome = try await transaction { connection -> Result<JobRecord, ScheduleError> in
            let (job, _) = try await lockedJob(id, on: connection)
            do throws(ScheduleError) {
                try rules.checkReschedule(job: id.description, state: job.state, start: job.scheduledAt,
                                          newStart: start, now: now)
            } catch {
                return .failure(error)
            }
            try await connection.run("""
                UPDATE jobs SET scheduled_at = \(StoreTime.milliseconds(start)) WHERE id = \(id.rawValue)
                """, logger: logger)
            try await logEvent(id, .rescheduled, "start moved from \(StoreTime.iso(job.scheduledAt)) to "
                               + "\(StoreTime.iso(start))", on: connection)
            return .success(try await loadJob(id, on: connection))
        }
        return try outcome.get()
    }

    /// The job with its row locked `FOR UPDATE` until the transaction ends, and its lease's
    /// expiry (ms); `jobNotFound` when there is none.
    func lockedJob(_ id: JobID, on connection: PostgresConnection) async throws -> (job: JobRecord, leaseExpiresAt: Int64?) {
        let rows = try await connection.run("SELECT lease_expires_at FROM jobs WHERE id = \(id.rawValue) FOR UPDATE",
                                              logger: self.connection.logger).collect()
        guard let row = rows.first else { throw StoreError.jobNotFound(id.description) }
        let expires = try row.decode(Int64?.self)
        return (try await loadJob(id, on: connection), expires)
    }

    /// The job's pending and deferred numbers become not-sent (retryable, stage local) with
    /// `code`; returns how many, counted in the statement rather than sent back row by row.
    func markQueuedNotSent(_ id: JobID, code: String, description: String, now: Int64,
                           on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.run("""
            WITH changed AS (
                UPDATE numbers SET state = 'not-sent', failure_class = 'retryable', stage = 'local', code = \(code),
                    description = \(description), deferred_until = NULL, updated_at = \(now)
                WHERE job_id = \(id.rawValue) AND state IN ('pending', 'deferred') RETURNING 1
            )
            SELECT count(*) FROM changed
            """, logger: self.connection.logger).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }
}
