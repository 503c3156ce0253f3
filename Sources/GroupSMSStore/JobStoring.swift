import Foundation
import GroupSMSModel

/// Creating a job, reading it, and the lease of the runner that sends it (SPEC §3, §9): what a
/// runner needs besides its chunks.
///
/// Both stores conform: `JobStore` (SQLite in the data dir) and `PostgresJobStore` (one
/// database shared by several daemons). Every method is one transaction of its store.
public protocol JobRecordStoring: Actor {
    /// This process's local data dir: `prices.csv`, the report journal, the jobs-folder state.
    /// For SQLite it also holds the database.
    nonisolated var dataDirectory: DataDirectory { get }
    /// The clock every timestamp of the store comes from.
    nonisolated var clock: any WallClock { get }
    /// How far ahead of a claim its request's start is reserved (`PaceBudget.lead`, set by
    /// `SendPacer.forPlatform`): room for the claim's commit, so the request leaves at its
    /// reserved instant, not later.
    nonisolated var claimLead: TimeInterval { get }
    /// Stores a new job; with `runner`, it is created running under that runner's lease.
    func createJob(_ draft: JobDraft, runner: RunnerLease?) async throws -> JobRecord
    /// The job with this id, or `StoreError.jobNotFound`.
    func job(_ id: JobID) async throws -> JobRecord
    /// The job with its counts per state, failures by reason and estimate.
    func summary(of id: JobID) async throws -> JobSummary
    /// Starts a scheduled job under `runner`; refused (`transitionRefused`) when another runner
    /// started it first, so a job starts once however many daemons try at the same instant.
    func startJob(_ id: JobID, runner: RunnerLease) async throws -> JobRecord
    /// Resumes a paused job, or takes over one whose runner is gone: its in-flight chunks
    /// become unconfirmed first.
    func resumeJob(_ id: JobID, runner: RunnerLease) async throws -> ResumeReport
    /// Renews `runner`'s lease and returns the job's state (a pause or cancel shows here).
    func heartbeat(_ id: JobID, runner: RunnerLease) async throws -> JobState
    /// Gives the job up without finishing it (the process stops); it stays resumable.
    func releaseJob(_ id: JobID, runner: RunnerLease) async throws
    /// Finishes a job whose numbers are all settled.
    func finishJob(_ id: JobID, runner: RunnerLease) async throws -> JobRecord
    /// Running jobs whose runner is gone (its lease expired or its process died).
    func abandonedJobs() async throws -> [JobRecord]
    /// Whether `runner` may still let a claimed request leave: false once its lease may have
    /// run out (a process stopped past its lease, then woken), because another runner may have
    /// taken the job over and settled the chunk already. Asked right before each request.
    func leaseAllowsSending(_ id: JobID, runner: RunnerLease) async -> Bool
}

/// Listing, scheduling and stopping jobs (SPEC §3): what the CLI's job commands and the
/// daemon's scheduler need, and the figures of `/metrics` and `/readyz`.
public protocol JobLifecycleStoring: Actor, StoreOperationsReading {
    /// Every job (or those in `states`), newest first, with counts.
    func summaries(states: Set<JobState>?) async throws -> [JobSummary]
    /// Scheduled jobs whose start has come, earliest first.
    func dueJobs() async throws -> [JobRecord]
    /// The earliest start among scheduled jobs.
    func nextScheduledStart() async throws -> Date?
    /// Pauses a scheduled or running job; its runner sees it at the next heartbeat.
    func pauseJob(_ id: JobID, reason: String) async throws -> JobRecord
    /// Fails the job and every number not yet settled.
    func failJob(_ id: JobID, runner: RunnerLease, code: String, message: String) async throws -> JobRecord
    /// Settles a dead runner's in-flight chunks as unconfirmed without resuming the job.
    func recoverJob(_ id: JobID) async throws -> ResumeReport
    /// Cancels a scheduled or paused job (not within the rules' lock before its start).
    func cancelJob(_ id: JobID, rules: ScheduleRules) async throws -> JobRecord
    /// Moves a scheduled job's start.
    func rescheduleJob(_ id: JobID, to start: Date, rules: ScheduleRules) async throws -> JobRecord
    /// The job's event log after `afterID`, oldest first.
    func events(of id: JobID, afterID: Int64, limit: Int) async throws -> [JobEvent]
}

/// Claiming and settling chunks (SPEC §4): what a `JobRunner` needs from a store, every write
/// fenced by the runner's lease.
public protocol ChunkStoring: Actor {
    /// Claims up to `maxNumbers` due numbers of the job into a new in-flight chunk, applying
    /// suppression, frequency limits, send windows and the account pace.
    func claimChunk(for id: JobID, runner: RunnerLease, maxNumbers: Int, limits: FrequencyLimits,
                    pace: PaceBudget?, zones: (any NumberZoneLookup)?) async throws -> ChunkClaim
    /// Holds the job's waiting numbers (or `numbers`) until `until`.
    func deferNumbers(of id: JobID, runner: RunnerLease, numbers: [String]?, until: Date,
                      reason: String, code: String) async throws -> Int
    /// Stores the platform's answer to an in-flight chunk.
    func recordChunkAnswer(_ chunkID: ChunkID, runner: RunnerLease, answer: ChunkAnswer) async throws -> ChunkSettlement
    /// Settles an in-flight chunk whose outcome cannot be known: never resent by itself.
    func markChunkUnconfirmed(_ chunkID: ChunkID, runner: RunnerLease, reason: String,
                              requestStartedAt: Date?) async throws -> ChunkSettlement
    /// Returns a chunk that provably never reached the platform to the queue.
    func markChunkNotSent(_ chunkID: ChunkID, runner: RunnerLease, reason: String) async throws -> ChunkSettlement
    /// Records when the chunk's request really started, for the account pace.
    func notePaceStart(of chunk: ChunkID, at start: Date) async throws
    /// The job's chunks, or those in `state`, in claim order.
    func chunks(of id: JobID, state: ChunkState?) async throws -> [ChunkRecord]
    /// The job's numbers (or those in `states`) after `afterPosition`, in file order.
    func numbers(of id: JobID, states: Set<NumberState>?, afterPosition: Int, limit: Int) async throws -> [NumberRecord]
    /// The number the platform gave `smsMsgId`, if any.
    func number(withMessageID smsMsgId: String) async throws -> NumberRecord?
}

/// Status reports, the 72-hour expiry and the failed-number export (SPEC §4, §5).
public protocol ReportStoring: Actor {
    /// The receiver's entry point: stores and applies one request's reports; nil (nothing
    /// stored) when the store could not take them within `wait`.
    func receiveAndApplyStatusReports(_ reports: [StatusReport], malformedEntries: Int, heldLimit: HeldReportLimit,
                                      waitingAtMost wait: Duration) async throws -> StatusReportBatchSummary?
    /// Applies reports a receiver journaled while the store could not take them; each journal
    /// line is applied once wherever a replay starts.
    func applyJournaledStatusReports(_ entries: [JournaledStatusReports], journal name: String, firstLine: Int,
                                     heldLimit: HeldReportLimit) async throws -> StatusReportBatchSummary
    /// How many lines of journal `name` are applied.
    func appliedJournalLines(_ name: String) async throws -> Int
    /// Every journal with applied lines, by name.
    func journalsApplied() async throws -> [String: Int]
    /// Forgets a journal whose file is gone.
    func forgetJournal(_ name: String) async throws
    /// Counts of reports received, applied, held and malformed.
    func statusReportIntakeCounts() async throws -> StatusReportIntakeCounts
    /// Accepted numbers without a final report after 72 hours become failed (EXPIRED).
    func expireOverdueReports(now: Date?) async throws -> Int
    /// Every number of the job to send again or look at, for `export-failed`.
    func failedNumbers(of id: JobID) async throws -> FailedNumberExport
}

/// What several jobs share: suppression, the template catalogue, the jobs-folder index and reruns.
public protocol CatalogueStoring: Actor {
    /// Adds numbers to the suppression list; returns how many were new.
    func suppress(_ numbers: [String], code: String, reason: String, sourceJob: JobID?) async throws -> Int
    /// Removes numbers from the suppression list; returns how many were there.
    func unsuppress(_ numbers: [String]) async throws -> Int
    /// The whole suppression list.
    func suppressionList() async throws -> [SuppressionEntry]
    /// The entries among `numbers` (every entry for nil), by number.
    func suppressionEntries(among numbers: [String]?) async throws -> [String: SuppressionEntry]
    /// Adds a template to the catalogue (replacing one with the same id only when asked).
    func addTemplate(_ template: MessageTemplate, replace: Bool) async throws
    /// Every catalogue template, by id.
    func templates() async throws -> [StoredTemplate]
    /// The catalogue template `id`, if any.
    func template(id: String) async throws -> StoredTemplate?
    /// Removes a catalogue template; false when there was none.
    func removeTemplate(id: String) async throws -> Bool
    /// The index entry of a jobs-folder file at this content.
    func folderIndexEntry(path: String, digest: String) async throws -> FolderIndexEntry?
    /// Creates a jobs-folder file's job and its index entry in one transaction.
    func submitFolderJob(_ draft: JobDraft, path: String, digest: String, rules: ScheduleRules,
                         checkpoint: @Sendable (FolderPickupPoint) throws -> Void) async throws -> FolderSubmission
    /// Indexes a jobs-folder file that was refused, so it is not read again until it changes.
    func recordFolderRefusal(path: String, digest: String) async throws -> JobID?
    /// Imports index entries of an older jobs-folder index file.
    func importFolderIndex(_ entries: [FolderIndexEntry]) async throws -> Int
    /// Creates a job with the retryable (and, when asked, unconfirmed) numbers of job `id`.
    func rerunJob(_ id: JobID, includeUnconfirmed: Bool, name: String?, scheduledAt: Date?, sendBy: Date?,
                  runner: RunnerLease?, prepare: @Sendable (JobDraft) throws -> JobDraft) async throws -> RerunResult
}

/// Everything the runner, daemon, receiver and commands need: the store they run on, SQLite
/// (`JobStore`) or PostgreSQL (`PostgresJobStore`).
public typealias JobStoring = JobRecordStoring & JobLifecycleStoring & ChunkStoring & ReportStoring & CatalogueStoring

extension JobStore {
    /// Always true: a SQLite store's runner is taken over only once its process has died. Not
    /// isolated, so a request never waits for the store's queue to ask.
    public nonisolated func leaseAllowsSending(_ id: JobID, runner: RunnerLease) -> Bool { true }
}

extension JobStore: JobRecordStoring, JobLifecycleStoring, ChunkStoring, ReportStoring, CatalogueStoring {}

extension JobRecordStoring {
    /// 20 ms: a claim of a local store commits well within it.
    public nonisolated var claimLead: TimeInterval { 0.02 }

    /// Stores a new scheduled job.
    public func createJob(_ draft: JobDraft) async throws -> JobRecord { try await createJob(draft, runner: nil) }
}

extension JobLifecycleStoring {
    /// Every job, newest first, with counts.
    public func summaries() async throws -> [JobSummary] { try await summaries(states: nil) }
    /// Pauses a job at the user's request.
    public func pauseJob(_ id: JobID) async throws -> JobRecord { try await pauseJob(id, reason: "paused by the user") }
}

extension JobLifecycleStoring {
    /// Cancels a job under the standard schedule rules.
    public func cancelJob(_ id: JobID) async throws -> JobRecord { try await cancelJob(id, rules: ScheduleRules()) }
    /// Moves a scheduled job's start under the standard schedule rules.
    public func rescheduleJob(_ id: JobID, to start: Date) async throws -> JobRecord {
        try await rescheduleJob(id, to: start, rules: ScheduleRules())
    }
}

extension ChunkStoring {
    /// Every chunk of the job, in claim order.
    public func chunks(of id: JobID) async throws -> [ChunkRecord] { try await chunks(of: id, state: nil) }

    /// The job's numbers in file order, a page of at most 10,000 after `afterPosition`.
    public func numbers(of id: JobID, states: Set<NumberState>? = nil, afterPosition: Int = -1) async throws
        -> [NumberRecord] {
        try await numbers(of: id, states: states, afterPosition: afterPosition, limit: 10_000)
    }

    /// Claims a chunk of at most the platform's request size under the platform's frequency limits.
    public func claimChunk(for id: JobID, runner: RunnerLease, maxNumbers: Int = JobSettings.maximumRate,
                           pace: PaceBudget? = nil, zones: (any NumberZoneLookup)? = nil) async throws -> ChunkClaim {
        try await claimChunk(for: id, runner: runner, maxNumbers: maxNumbers, limits: .platform, pace: pace, zones: zones)
    }
}

extension ReportStoring {
    /// Expires the numbers overdue now.
    @discardableResult
    public func expireOverdueReports() async throws -> Int { try await expireOverdueReports(now: nil) }
}

extension CatalogueStoring {
    /// Adds numbers to the suppression list by hand (no job).
    @discardableResult
    public func suppress(_ numbers: [String], code: String, reason: String) async throws -> Int {
        try await suppress(numbers, code: code, reason: reason, sourceJob: nil)
    }

    /// Creates a jobs-folder file's job under the standard schedule rules.
    public func submitFolderJob(_ draft: JobDraft, path: String, digest: String,
                                checkpoint: @Sendable (FolderPickupPoint) throws -> Void = { _ in })
        async throws -> FolderSubmission {
        try await submitFolderJob(draft, path: path, digest: digest, rules: ScheduleRules(), checkpoint: checkpoint)
    }
}
