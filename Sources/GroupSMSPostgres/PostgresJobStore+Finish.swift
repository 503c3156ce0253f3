import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Marks a running job finished once nothing is queued or in flight, and ends the lease (as
    /// `JobStore.finishJob`), under the fencing check.
    public func finishJob(_ id: JobID, runner: RunnerLease) async throws -> JobRecord {
        let now = nowMilliseconds, logger = connection.logger
        let job = try await transaction { connection in
            let fenced = try await requireFence(id, runner, on: connection)
            guard fenced.state == .running else {
                throw StoreError.transitionRefused(job: id.description, state: fenced.state, action: "finish",
                                                   reason: "only a running job can finish")
            }
            let open = try await connection.run("""
                SELECT count(*) FROM numbers WHERE job_id = \(id.rawValue) AND state IN ('pending', 'deferred', 'sending')
                """, logger: logger).collect()[0].decode(Int.self)
            guard open == 0 else {
                throw StoreError.transitionRefused(job: id.description, state: fenced.state, action: "finish",
                                                   reason: "\(open) numbers are still pending, deferred or in flight")
            }
            try await connection.run("""
                UPDATE jobs SET state = 'finished', finished_at = \(now), runner_token = NULL, runner_pid = NULL,
                    runner_host = NULL, lease_expires_at = NULL WHERE id = \(id.rawValue)
                """, logger: logger)
            try await logEvent(id, .finished, "finished", on: connection)
            return try await loadJob(id, on: connection)
        }
        heldLeases.withLock { $0[id] = nil }
        return job
    }

    /// Gives up the lease (as `JobStore.releaseJob`): any chunk still in flight becomes
    /// unconfirmed, since nobody will record its answer. The fencing token stays, so a later
    /// runner's start or take-over still counts up from it.
    public func releaseJob(_ id: JobID, runner: RunnerLease) async throws {
        let logger = connection.logger
        try await transaction { connection in
            _ = try await requireFence(id, runner, on: connection)
            // The take-over's lock: no claim under this lease is still adding a chunk.
            try await connection.run("SELECT 1 FROM jobs WHERE id = \(id.rawValue) FOR UPDATE", logger: logger)
            _ = try await settleInFlightChunks(of: id, on: connection)
            try await connection.run("""
                UPDATE jobs SET runner_token = NULL, runner_pid = NULL, runner_host = NULL, lease_expires_at = NULL
                WHERE id = \(id.rawValue)
                """, logger: logger)
        }
        heldLeases.withLock { $0[id] = nil }
    }
}
