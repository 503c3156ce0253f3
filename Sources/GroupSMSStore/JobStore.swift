import Foundation
import GroupSMSModel

/// Settings of a `JobStore` connection.
public struct JobStoreOptions: Sendable {
    /// How long a write waits for another process's write lock before failing with a busy error.
    /// Generous, because creating a 1,000,000-number job holds the lock for several seconds.
    public var busyTimeout: Duration
    /// Commit durability; `.full` unless a benchmark or test measures something else.
    public var durability: StoreDurability
    /// How a dead runner is recognised.
    public var liveness: RunnerLiveness
    /// What a status report's `status` means (delivered, opted-out, retryable) and how it reads.
    public var reportClassifier: any ReportStatusClassifier

    /// The defaults: 30 s busy timeout, full durability, 2-minute heartbeat limit, the standard
    /// status classes of SPEC §4.
    public init(busyTimeout: Duration = .seconds(30), durability: StoreDurability = .full,
                liveness: RunnerLiveness = RunnerLiveness(),
                reportClassifier: any ReportStatusClassifier = StandardReportStatusClassifier()) {
        self.busyTimeout = busyTimeout
        self.durability = durability
        self.liveness = liveness
        self.reportClassifier = reportClassifier
    }
}

/// The job database of one data dir: `<data-dir>/groupsms.sqlite` (SQLite, WAL).
///
/// One `JobStore` owns one connection and runs on its own serial queue. Each process opens its
/// own store; processes coordinate through SQLite itself: every write is one IMMEDIATE
/// transaction, so `kill -9` at any instant leaves either all or none of it, and a runner's lease
/// (see `RunnerLease`) keeps a presumed-dead runner from writing after another process took over.
public actor JobStore {
    /// The database file name inside the data dir.
    public static let databaseFileName = "groupsms.sqlite"

    /// The database file.
    public nonisolated let databasePath: String
    /// The data dir the database lives in (for its other files, e.g. `prices.csv`).
    public nonisolated var dataDirectory: DataDirectory {
        DataDirectory(path: (databasePath as NSString).deletingLastPathComponent)
    }
    /// The clock every timestamp comes from.
    public nonisolated let clock: any WallClock
    /// This data dir's tag, the first part of every `extend` value.
    public nonisolated let instanceTag: String

    let connection: SQLiteConnection
    let options: JobStoreOptions
    /// Device and inode of the database file when it was opened (see `checkHealth`).
    let openedFile: StoreFileIdentity?
    private let executor: BlockingWorkExecutor
    /// Report batches waiting for the next group commit (see `receiveStatusReports`).
    var waitingReports: [WaitingReports] = []
    var reportCommitScheduled = false

    /// Runs the actor on the store's own queue, never on the shared cooperative threads.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Opens (creating if needed) the store in `dataDirectory`, migrating its schema.
    public init(dataDirectory: String, clock: any WallClock, options: JobStoreOptions = JobStoreOptions()) throws {
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.invalidInput("cannot create the data dir \(dataDirectory): \(error.localizedDescription)")
        }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(Self.databaseFileName).path
        let connection = try SQLiteConnection(path: path, busyTimeout: options.busyTimeout, durability: options.durability)
        try StoreSchema.migrate(connection)
        openedFile = StoreFileIdentity(path: path)
        self.connection = connection
        self.databasePath = path
        self.clock = clock
        self.options = options
        self.instanceTag = try connection.scalarText("SELECT value FROM store_meta WHERE key = 'instance'") ?? "gs00"
        self.executor = BlockingWorkExecutor(label: "groupsms.store")
    }

    /// The linked SQLite library's version, e.g. "3.40.1" (for diagnostics).
    public static var sqliteVersion: String { SQLiteAPI.libraryVersion }

    /// The schema version of the open database.
    public func schemaVersion() throws -> Int {
        Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
    }

    /// SQLite's own consistency check; "ok" when the file is sound.
    public func integrityCheck() throws -> [String] {
        try connection.query("PRAGMA integrity_check") { $0.text(0) }
            + connection.query("PRAGMA foreign_key_check") { "foreign key violation in \($0.text(0))" }
    }

    // MARK: - Shared helpers (used inside transactions by the other files)

    var nowMilliseconds: Int64 { StoreTime.milliseconds(clock.now()) }

    static let jobColumns = """
        id, name, source_files, template_id, params, signature, sender, endpoint, status_callback,
        default_country, content_key, rate, max_defer_ms, state, scheduled_at, created_at, started_at,
        finished_at, runner_token, runner_pid, runner_host, heartbeat_at, rerun_of, last_error, send_window, send_by
        """

    static func jobRecord(_ row: SQLiteRow) -> JobRecord {
        var runner: RunnerInfo?
        if let token = row.optionalText(18) {
            runner = RunnerInfo(token: token, pid: Int32(truncatingIfNeeded: row.int64(19)),
                                host: row.text(20), heartbeatAt: row.optionalDate(21))
        }
        let settings = JobSettings(
            templateID: row.text(3), from: row.text(6), params: StoreJSON.strings(row.text(4)),
            signature: row.optionalText(5), rate: row.int(11), statusCallback: row.optionalText(8),
            defaultCountry: row.text(9), maxDefer: Double(row.int64(12)) / 1000,
            sendWindow: storedSendWindow(row.text(24)))
        return JobRecord(
            id: JobID(row.int64(0)), name: row.text(1), sourceFiles: StoreJSON.strings(row.text(2)),
            settings: settings, endpoint: row.optionalText(7), state: JobState(rawValue: row.text(13)) ?? .failed,
            scheduledAt: row.date(14), createdAt: row.date(15), startedAt: row.optionalDate(16),
            finishedAt: row.optionalDate(17), runner: runner, rerunOf: row.optionalInt64(22).map(JobID.init),
            lastError: row.optionalText(23), sendBy: row.optionalDate(25))
    }

    /// A stored window setting. The store writes only what `SendWindowSetting` reads back; text
    /// it cannot read (a hand-edited row) means the regional defaults, never "no window".
    static func storedSendWindow(_ text: String) -> SendWindowSetting {
        (try? SendWindowSetting(parsing: text, source: "the stored send_window")) ?? .regionDefaults
    }

    /// The job, or `jobNotFound`.
    func loadJob(_ id: JobID) throws -> JobRecord {
        guard let job = try connection.queryFirst("SELECT \(Self.jobColumns) FROM jobs WHERE id = ?",
                                                  [.integer(id.rawValue)], Self.jobRecord) else {
            throw StoreError.jobNotFound(id.description)
        }
        return job
    }

    /// Throws `leaseLost` unless `lease` is the job's current runner.
    func requireLease(_ job: JobRecord, _ lease: RunnerLease) throws {
        guard job.runner?.token == lease.token else { throw StoreError.leaseLost(job: job.id.description) }
    }

    func logEvent(_ job: JobID, _ kind: JobEventKind, _ message: String) throws {
        try connection.execute("INSERT INTO job_events(job_id, at, kind, message) VALUES (?, ?, ?, ?)",
                               [.integer(job.rawValue), .integer(nowMilliseconds), .text(kind.rawValue), .text(message)])
    }
}

/// JSON arrays of strings as the store keeps them (source files, template parameters).
enum StoreJSON {
    /// Written directly (no Foundation object graph): a personalised job writes one array per
    /// distinct tuple, a million for a million-number job.
    static func encode(_ strings: [String]) -> String {
        "[" + strings.map(QuotedText.json).joined(separator: ",") + "]"
    }

    static func strings(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
