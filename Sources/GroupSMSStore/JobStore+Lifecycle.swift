import Foundation
import GroupSMSModel

/// What `resumeJob` did.
public struct ResumeReport: Sendable, Hashable {
    /// The job, now running under the caller's lease.
    public var job: JobRecord
    /// In-flight chunks of a previous runner that became unconfirmed.
    public var recoveredChunks: Int
    /// Their numbers, now unconfirmed.
    public var recoveredNumbers: Int

    /// A value with every field given (the PostgreSQL store makes them too).
    package init(job: JobRecord, recoveredChunks: Int, recoveredNumbers: Int) {
        self.job = job
        self.recoveredChunks = recoveredChunks
        self.recoveredNumbers = recoveredNumbers
    }
}

extension JobStore {
    /// A scheduled job may start this long before its time (the daemon's sleep may end a hair early).
    static let startTolerance: Int64 = 1000

    /// Cancels a scheduled job; refused from 5 minutes before its start onwards (FAQ 9.4).
    /// Its numbers become not-sent (code CANCELLED).
    public func cancelJob(_ id: JobID, rules: ScheduleRules = ScheduleRules()) throws -> JobRecord {
        try connection.transaction { try cancelInTransaction(id, rules: rules) }
        return try loadJob(id)
    }

    /// Cancels inside the caller's transaction; throws `transitionRefused` past the cancel window.
    func cancelInTransaction(_ id: JobID, rules: ScheduleRules) throws {
        let job = try loadJob(id)
        try rules.checkCancel(job: id.description, state: job.state, start: job.scheduledAt, now: clock.now())
        let now = nowMilliseconds
        try connection.execute("UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ?",
                               [.integer(now), .integer(id.rawValue)])
        let count = try markQueuedNotSent(id, code: "CANCELLED", description: "the job was cancelled before it started")
        try logEvent(id, .cancelled, "cancelled before its start; \(count) numbers not sent")
    }

    /// Moves a scheduled job's start; same window as cancel, and the new start must not be past.
    public func rescheduleJob(_ id: JobID, to start: Date, rules: ScheduleRules = ScheduleRules()) throws -> JobRecord {
        try connection.transaction {
            let job = try loadJob(id)
            try rules.checkReschedule(job: id.description, state: job.state, start: job.scheduledAt,
                                      newStart: start, now: clock.now())
            try connection.execute("UPDATE jobs SET scheduled_at = ? WHERE id = ?",
                                   [.time(start), .integer(id.rawValue)])
            try logEvent(id, .rescheduled, "start moved from \(StoreTime.iso(job.scheduledAt)) to \(StoreTime.iso(start))")
        }
        return try loadJob(id)
    }

    /// Starts a scheduled job that is due, under `runner`'s lease. Two daemons racing for the
    /// same job are serialised by the transaction: the second gets `transitionRefused`.
    public func startJob(_ id: JobID, runner: RunnerLease) throws -> JobRecord {
        try connection.transaction {
            let job = try loadJob(id)
            guard job.state == .scheduled else {
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "start",
                                                   reason: "only a scheduled job can be started; use resume for a paused one")
            }
            let now = nowMilliseconds
            guard StoreTime.milliseconds(job.scheduledAt) - Self.startTolerance <= now else {
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "start",
                                                   reason: "it is scheduled for \(StoreTime.iso(job.scheduledAt))")
            }
            try connection.execute("""
                UPDATE jobs SET state = 'running', started_at = ?, runner_token = ?, runner_pid = ?, runner_host = ?,
                    heartbeat_at = ? WHERE id = ?
                """, [.integer(now), .text(runner.token), .integer(Int64(runner.pid)), .text(runner.host),
                      .integer(now), .integer(id.rawValue)])
            try logEvent(id, .started, "started by process \(runner.pid) on \(runner.host)")
        }
        return try loadJob(id)
    }

    /// Pauses a running job (any process may ask). Its runner notices at its next claim or
    /// heartbeat, lets in-flight chunks finish, and releases the job.
    public func pauseJob(_ id: JobID, reason: String = "paused by the user") throws -> JobRecord {
        try connection.transaction {
            let job = try loadJob(id)
            guard job.state.canMove(to: .paused) else {
                let advice = job.state == .scheduled ? "a job that has not started can be cancelled or rescheduled instead"
                    : "only a running job can be paused"
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "pause", reason: advice)
            }
            try connection.execute("UPDATE jobs SET state = 'paused', last_error = ? WHERE id = ?",
                                   [.text(reason), .integer(id.rawValue)])
            try logEvent(id, .paused, reason)
        }
        return try loadJob(id)
    }

    /// Makes `runner` the job's runner and sets it running: a paused job, or a running job whose
    /// runner died. In-flight chunks of any other runner become unconfirmed first (they may have
    /// reached the platform), so nothing is sent twice. Refused while the recorded runner is alive.
    public func resumeJob(_ id: JobID, runner: RunnerLease) throws -> ResumeReport {
        let settled = try connection.transaction { () throws -> ChunkSettlementSummary in
            let job = try loadJob(id)
            guard job.state == .paused || job.state == .running else {
                let reason = job.state == .scheduled ? "it has not started; it starts at \(StoreTime.iso(job.scheduledAt))"
                    : "it is over"
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "resume", reason: reason)
            }
            if let current = job.runner, current.token != runner.token,
               !options.liveness.isGone(current, now: clock.now()) {
                throw StoreError.runnerActive(job: id.description, pid: current.pid, host: current.host,
                                              heartbeatAt: current.heartbeatAt)
            }
            let recovered = try settleInFlightChunks(of: id, except: runner.token)
            let now = nowMilliseconds
            try connection.execute("""
                UPDATE jobs SET state = 'running', started_at = ifnull(started_at, ?), runner_token = ?,
                    runner_pid = ?, runner_host = ?, heartbeat_at = ?, last_error = NULL WHERE id = ?
                """, [.integer(now), .text(runner.token), .integer(Int64(runner.pid)), .text(runner.host),
                      .integer(now), .integer(id.rawValue)])
            var message = "resumed by process \(runner.pid) on \(runner.host)"
            if recovered.chunks > 0 {
                message += "; \(recovered.chunks) in-flight chunks of the previous runner (\(recovered.numbers) numbers) are unconfirmed"
            }
            try logEvent(id, .resumed, message)
            return recovered
        }
        return ResumeReport(job: try loadJob(id), recoveredChunks: settled.chunks, recoveredNumbers: settled.numbers)
    }

    /// Records that the runner is alive and returns the job's state, so the runner learns of a
    /// pause. Throws `leaseLost` if another process took the job over.
    public func heartbeat(_ id: JobID, runner: RunnerLease) throws -> JobState {
        try connection.transaction {
            let job = try loadJob(id)
            try requireLease(job, runner)
            try connection.execute("UPDATE jobs SET heartbeat_at = ? WHERE id = ?", [.integer(nowMilliseconds), .integer(id.rawValue)])
            return job.state
        }
    }

    /// Gives up the lease (after a pause, once in-flight chunks are settled). Any chunk still in
    /// flight becomes unconfirmed, since nobody will record its answer.
    public func releaseJob(_ id: JobID, runner: RunnerLease) throws {
        try connection.transaction {
            let job = try loadJob(id)
            try requireLease(job, runner)
            _ = try settleInFlightChunks(of: id, except: nil)
            try connection.execute("""
                UPDATE jobs SET runner_token = NULL, runner_pid = NULL, runner_host = NULL WHERE id = ?
                """, [.integer(id.rawValue)])
        }
    }

    /// Marks a running job finished once nothing is queued or in flight, and releases it.
    public func finishJob(_ id: JobID, runner: RunnerLease) throws -> JobRecord {
        try connection.transaction {
            let job = try loadJob(id)
            try requireLease(job, runner)
            guard job.state == .running else {
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "finish",
                                                   reason: "only a running job can finish")
            }
            let open = try connection.scalarInt("""
                SELECT count(*) FROM numbers WHERE job_id = ? AND state IN ('pending', 'deferred', 'sending')
                """, [.integer(id.rawValue)]) ?? 0
            guard open == 0 else {
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "finish",
                                                   reason: "\(open) numbers are still pending, deferred or in flight")
            }
            try connection.execute("""
                UPDATE jobs SET state = 'finished', finished_at = ?, runner_token = NULL, runner_pid = NULL,
                    runner_host = NULL WHERE id = ?
                """, [.integer(nowMilliseconds), .integer(id.rawValue)])
            try logEvent(id, .finished, "finished")
        }
        return try loadJob(id)
    }

    /// Stops a running or paused job for good (fatal authentication or account error): queued
    /// numbers become not-sent with `code`, in-flight chunks unconfirmed, and `message` is kept.
    public func failJob(_ id: JobID, runner: RunnerLease, code: String, message: String) throws -> JobRecord {
        try connection.transaction {
            let job = try loadJob(id)
            try requireLease(job, runner)
            guard job.state.canMove(to: .failed) else {
                throw StoreError.transitionRefused(job: id.description, state: job.state, action: "fail",
                                                   reason: "only a running or paused job can fail")
            }
            _ = try settleInFlightChunks(of: id, except: nil)
            let count = try markQueuedNotSent(id, code: code, description: message)
            try connection.execute("""
                UPDATE jobs SET state = 'failed', finished_at = ?, last_error = ?, runner_token = NULL,
                    runner_pid = NULL, runner_host = NULL WHERE id = ?
                """, [.integer(nowMilliseconds), .text(message), .integer(id.rawValue)])
            try logEvent(id, .failed, "\(message); \(count) numbers not sent")
        }
        return try loadJob(id)
    }

    /// Jobs left behind by a runner that is gone (died or stopped beating): running or paused jobs
    /// whose recorded runner is gone, and running jobs with no runner. The daemon resumes the
    /// running ones (`resumeJob`) and settles the paused ones without resuming them (`recoverJob`).
    public func abandonedJobs() throws -> [JobRecord] {
        let now = clock.now()
        return try connection.query("SELECT \(Self.jobColumns) FROM jobs WHERE state IN ('running', 'paused')",
                                    [], Self.jobRecord)
            .filter { job in
                guard let runner = job.runner else { return job.state == .running }
                return options.liveness.isGone(runner, now: now)
            }
    }

    /// Pending and deferred numbers of a job become not-sent with `code`; returns how many.
    func markQueuedNotSent(_ id: JobID, code: String, description: String) throws -> Int {
        try connection.execute("""
            UPDATE numbers SET state = 'not-sent', failure_class = 'retryable', stage = 'local', code = ?,
                description = ?, deferred_until = NULL, updated_at = ?
            WHERE job_id = ? AND state IN ('pending', 'deferred')
            """, [.text(code), .text(description), .integer(nowMilliseconds), .integer(id.rawValue)])
    }
}
