import Foundation
import GroupSMSModel
import GroupSMSStore
import Logging
import PostgresNIO
import Synchronization

/// Settings of a `PostgresJobStore`.
public struct PostgresJobStoreOptions: Sendable {
    /// How long a runner's lease lasts from its start, take-over or last renewal; past it, any
    /// other runner may take the job over (SPEC §9). Runners renew well within it.
    public var leaseDuration: TimeInterval
    /// This process's local data dir (prices, the report journal); the jobs live in the database.
    public var dataDirectory: DataDirectory
    /// What a status report's `status` means (delivered, opted-out, retryable) and how it reads,
    /// as `JobStoreOptions.reportClassifier`.
    public var reportClassifier: any ReportStatusClassifier

    /// The defaults: a 15 s lease, the data dir `groupsms` resolves without `--data-dir`, the
    /// standard status classes of SPEC §4.
    public init(leaseDuration: TimeInterval = 15, dataDirectory: DataDirectory = .resolve(explicit: nil),
                reportClassifier: any ReportStatusClassifier = StandardReportStatusClassifier()) {
        self.leaseDuration = leaseDuration
        self.dataDirectory = dataDirectory
        self.reportClassifier = reportClassifier
    }
}

/// The lease a runner of this process holds on a job: who it is, the fencing token it was
/// granted, and when the lease runs out unless renewed.
public struct FencedLease: Sendable, Hashable {
    /// The runner.
    public var runner: RunnerLease
    /// Grows by one at every start and take-over of the job; every write of the runner names it,
    /// and the store refuses it once a newer one was granted.
    public var fencingToken: Int64
    /// When another runner may take the job over unless this one renews first.
    public var expiresAt: Date
}

/// The job store in a PostgreSQL database shared by several daemons (SPEC §9): the same
/// operations as `JobStore`, with fenced runner leases.
///
/// A running job has one runner at a time, holding a lease: its runner token, a fencing token
/// and an expiry. The store remembers the fencing token each of its runners was granted, and
/// every claim and answer write first locks the job row `FOR KEY SHARE` where runner and fencing
/// token still match: a take-over (`SELECT ... FOR UPDATE`, then a new fencing token) waits for
/// writes under way and every later write of the old runner finds nothing and throws
/// `StoreError.leaseLost`. Numbers are claimed `FOR UPDATE SKIP LOCKED`, so concurrent claims
/// never share a number, and the account pace is reserved under a transaction-scoped advisory
/// lock per account, which no server restart can leave behind.
public actor PostgresJobStore {
    /// The connection pool the store runs on.
    public nonisolated let connection: PostgresStoreConnection
    /// The clock every timestamp comes from.
    public nonisolated let clock: any WallClock
    /// The settings in force.
    public nonisolated let options: PostgresJobStoreOptions
    /// This store's tag, the first part of every `extend` value.
    public nonisolated let instanceTag: String
    /// The fencing token granted to each runner of this process, by job: behind a lock, so that
    /// `leaseAllowsSending`, asked right before every request leaves, never waits for the actor.
    nonisolated let heldLeases = Mutex<[JobID: FencedLease]>([:])

    private init(connection: PostgresStoreConnection, clock: any WallClock, options: PostgresJobStoreOptions,
                 instanceTag: String) {
        self.connection = connection
        self.clock = clock
        self.options = options
        self.instanceTag = instanceTag
    }

    /// The store on `connection`, its schema migrated to the newest version.
    public static func open(_ connection: PostgresStoreConnection, clock: any WallClock,
                            options: PostgresJobStoreOptions = PostgresJobStoreOptions()) async throws -> PostgresJobStore {
        try await connection.migrate()
        let rows = try await connection.query("SELECT value FROM store_meta WHERE key = 'instance'")
        let tag = try rows.first?.decode(String.self) ?? "gs00"
        return PostgresJobStore(connection: connection, clock: clock, options: options, instanceTag: tag)
    }

    /// The lease this process holds on job `id`, if it holds one (as far as it knows).
    public func lease(of id: JobID) -> FencedLease? { heldLeases.withLock { $0[id] } }

    // MARK: - Shared helpers

    var nowMilliseconds: Int64 { StoreTime.milliseconds(clock.now()) }

    /// Runs `body` in one transaction on one connection; the database's errors leave as a
    /// `PostgresStoreError`, the caller's own as thrown.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let logger = connection.logger
        return try await onPooledConnection { connection in
            try await connection.inTransaction(logger: logger) { connection in
                try await Self.callersOwn { try await body(connection) }
            }
        }
    }

    /// Runs `work` on one pooled connection. An error of the caller's own, marked by
    /// `callersOwn` (a StoreError, a folder pick-up's checkpoint fault, a rerun's `prepare`
    /// refusal), leaves as thrown, after any rollback: reporting it as an unreachable store
    /// would send the user looking at the wrong thing. Every other error is the store's.
    func onPooledConnection<Result: Sendable>(_ work: (PostgresConnection) async throws -> Result) async throws -> Result {
        let url = connection.url
        do {
            return try await connection.client.withConnection { try await work($0) }
        } catch let error as CallersOwnError {
            throw error.error
        } catch {
            throw PostgresStoreError.from(error, store: url)
        }
    }

    /// `body`'s outcome; an error it throws that does not come from the database is marked as
    /// the caller's own, for `onPooledConnection` to pass through.
    static func callersOwn<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch where !comesFromTheDatabase(error) {
            throw CallersOwnError(error: error)
        }
    }

    /// Carries a transaction body's own error past the database-error mapping.
    struct CallersOwnError: Error {
        var error: any Error
    }

    static func comesFromTheDatabase(_ error: any Error) -> Bool {
        error is PSQLError || error is PostgresDecodingError || error is PostgresStoreError || error is CancellationError
            || error is StatementOnClosedConnection
    }

    /// The job, or `jobNotFound`.
    func loadJob(_ id: JobID, on connection: PostgresConnection) async throws -> JobRecord {
        let rows = try await connection.run(
            PostgresQuery(unsafeSQL: "SELECT \(PostgresJobRows.jobColumns) FROM jobs WHERE id = $1",
                          binds: Self.binds(id.rawValue)), logger: self.connection.logger).collect()
        guard let row = rows.first else { throw StoreError.jobNotFound(id.description) }
        return try PostgresJobRows.jobRecord(row)
    }

    func logEvent(_ job: JobID, _ kind: JobEventKind, _ message: String, on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO job_events(job_id, at, kind, message) VALUES (\(job.rawValue), \(nowMilliseconds), \
            \(kind.rawValue), \(message))
            """, logger: self.connection.logger)
    }

    static func binds(_ values: Int64...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}
