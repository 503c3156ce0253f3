import Foundation
import GroupSMSModel
import PostgresNIO

extension PostgresJobStore {
    /// Reservations older than this are deleted as claims go by (far past any window).
    static let paceRetention: TimeInterval = 60
    /// The first key of the per-account advisory locks ("pace" in ASCII); the second is the
    /// account's `hashtext`. A collision of two accounts only makes them take turns.
    static let paceLockSpace: Int32 = 0x7061_6365

    /// Makes every other claim on `budget`'s account wait until this transaction ends. The lock
    /// is transaction-scoped: a crash or a server restart ends the transaction and the lock.
    func lockPace(_ budget: PaceBudget, on connection: PostgresConnection) async throws {
        try await connection.run("SELECT pg_advisory_xact_lock(\(Self.paceLockSpace), hashtext(\(budget.account)))",
                                   logger: self.connection.logger)
    }

    /// The earliest instant at or after `now` at which `count` numbers of job `job` may start
    /// under `budget`, from every runner's reservations (the caller holds the account's lock).
    func paceStart(_ budget: PaceBudget, job: JobID, count: Int, now: Date,
                   on connection: PostgresConnection) async throws -> Date {
        let since = SlidingWindowLimit.microseconds(now.addingTimeInterval(-budget.window))
        var account: [(at: Int64, count: Int)] = [], own: [(at: Int64, count: Int)] = []
        let rows = try await connection.run("""
            SELECT job_id, starts_at_us, numbers FROM pace_reservations
            WHERE account = \(budget.account) AND starts_at_us > \(since) ORDER BY starts_at_us
            """, logger: self.connection.logger)
        for try await (jobID, at, numbers) in rows.decode((Int64, Int64, Int).self) {
            account.append((at, numbers))
            if jobID == job.rawValue { own.append((at, numbers)) }
        }
        return budget.earliestStart(count: count, now: now, accountStarts: account, jobStarts: own)
    }

    /// Records that `count` numbers of `job` (chunk `chunk`) start at `at` on the account's budget,
    /// and drops reservations far out of every window.
    func reservePace(_ budget: PaceBudget, job: JobID, chunk: ChunkID, count: Int, at: Date,
                     on connection: PostgresConnection) async throws {
        let microseconds = SlidingWindowLimit.microseconds(at)
        try await connection.run("""
            INSERT INTO pace_reservations(account, job_id, chunk_id, starts_at_us, numbers)
            VALUES (\(budget.account), \(job.rawValue), \(chunk.rawValue), \(microseconds), \(Int64(count)))
            """, logger: self.connection.logger)
        let expired = microseconds - Int64(Self.paceRetention * 1_000_000)
        try await connection.run("""
            DELETE FROM pace_reservations WHERE account = \(budget.account) AND starts_at_us < \(expired)
            """, logger: self.connection.logger)
    }

    /// Moves a chunk's reserved start to the instant its request really left, when that was
    /// later (as `JobStore.notePaceStart`): a request held up after its commit still counts where
    /// the platform sees it, and every runner's later claims make room for it.
    public func notePaceStart(of chunk: ChunkID, at start: Date) async throws {
        let microseconds = SlidingWindowLimit.microseconds(start)
        _ = try await connection.query("""
            UPDATE pace_reservations SET starts_at_us = \(microseconds)
            WHERE chunk_id = \(chunk.rawValue) AND starts_at_us < \(microseconds)
            """)
    }

    /// Every reservation of `account` (start in µs, numbers), oldest first: what the pace has granted.
    public func paceReservations(account: String) async throws -> [(startsAtMicroseconds: Int64, numbers: Int)] {
        let rows = try await connection.query("""
            SELECT starts_at_us, numbers FROM pace_reservations WHERE account = \(account) ORDER BY starts_at_us, id
            """)
        return try rows.map { try $0.decode((Int64, Int).self) }.map { (startsAtMicroseconds: $0.0, numbers: $0.1) }
    }
}
