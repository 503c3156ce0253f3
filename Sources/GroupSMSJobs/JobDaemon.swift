import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import Logging

/// Runs scheduled jobs on time: the engine of `groupsms daemon`.
///
/// At start it resumes running jobs whose runner died (their in-flight chunks become
/// unconfirmed first) and settles paused ones left behind. Then it loops: read the jobs folder,
/// start every due job under this process's lease, and sleep until the next scheduled start
/// (at most `tick` at a time, so jobs submitted by other processes are seen within a tick).
/// All runners share ONE `SendPacer` and one set of `SendSlots` (requests in flight). When `stopSignal` is raised, runners stop claiming,
/// settle their in-flight requests and release their jobs (still running, so the next daemon
/// start resumes them), and `run()` returns.
public actor JobDaemon {
    /// Makes the platform client for a job's stored endpoint (nil: the daemon's default).
    public typealias ClientFactory = @Sendable (_ endpoint: String?) throws -> PlatformClient

    private let store: any JobStoring
    private let clock: any WallClock
    private let pacer: SendPacer
    private let slots: SendSlots
    private let lease: RunnerLease
    private let makeClient: ClientFactory
    private let runnerOptions: JobRunnerOptions
    private let stopSignal: RunnerStopSignal
    private let logger: Logger
    private var watcher: JobFolderWatcher?
    private let defaultEndpoint: String?
    private let tick: TimeInterval
    private var clients: [String: PlatformClient] = [:]
    private var runners: [JobID: Task<Void, Never>] = [:]
    /// What the store last failed with, while it keeps failing (logged once per outage).
    private var storeTrouble: String?

    /// A daemon; `jobsFolder` nil reads no folder. `logger` gets one line per thing it does, with
    /// an `event` (and a `job` when it is about one) in its metadata. The lines quote job files,
    /// names and platform answers: the handler must escape control characters (the CLI's do).
    public init(store: any JobStoring, clock: any WallClock, pacer: SendPacer, lease: RunnerLease,
                jobsFolder: JobFolderWatcher?, defaultEndpoint: String?, runnerOptions: JobRunnerOptions,
                stopSignal: RunnerStopSignal, tick: TimeInterval = 1,
                logger: Logger = Logger(label: "groupsms.daemon", factory: { _ in SwiftLogNoOpLogHandler() }),
                makeClient: @escaping ClientFactory) {
        self.store = store
        self.clock = clock
        self.pacer = pacer
        slots = SendSlots(capacity: runnerOptions.maxInFlight)
        self.lease = lease
        self.makeClient = makeClient
        var options = runnerOptions
        options.stopBehaviour = .release
        self.runnerOptions = options
        self.stopSignal = stopSignal
        self.logger = logger
        watcher = jobsFolder
        self.defaultEndpoint = defaultEndpoint
        self.tick = tick
    }

    /// Jobs this daemon is running now.
    public var runningJobs: [JobID] { runners.keys.sorted() }

    /// Runs until the stop signal is raised and every runner has let go of its job.
    public func run() async throws {
        while !stopSignal.isRaised {
            let wake: Date
            do {
                wake = try await turn()
                storeTrouble = nil
            } catch {
                // The store may be restarting: every step is retried at the next tick, and the
                // jobs of runners that stopped meanwhile are taken over once their leases expired.
                if storeTrouble == nil {
                    logger.error("the job store cannot be used: \(error); retrying every \(tick) s",
                                 metadata: ["event": "store.unavailable"])
                }
                storeTrouble = "\(error)"
                wake = clock.now().addingTimeInterval(tick)
            }
            do { try await clock.sleep(until: wake) } catch { break }
        }
        stopSignal.raise()
        for task in runners.values { await task.value }
        clients.values.forEach { $0.shutdown() }
        clients.removeAll()
    }

    /// One pass: take over abandoned jobs, read the jobs folder, start due jobs, expire reports;
    /// returns when to wake for the next pass.
    private func turn() async throws -> Date {
        try await recoverAbandonedJobs()
        if var folder = watcher {
            for line in await folder.scan(store: store, clock: clock, endpoint: defaultEndpoint) {
                logger.info("\(line)", metadata: ["event": "jobs-folder"])
            }
            watcher = folder
        }
        try await startDueJobs()
        _ = try? await store.expireOverdueReports(now: clock.now())
        let now = clock.now()
        var wake = now.addingTimeInterval(tick)
        if let next = try await store.nextScheduledStart(), next < wake { wake = max(next, now) }
        return wake
    }

    /// Jobs whose runner is gone (a process that died, or on a shared store a lease that
    /// expired), asked at every pass so another daemon's jobs are taken over within a tick.
    private func recoverAbandonedJobs() async throws {
        for job in try await store.abandonedJobs() where runners[job.id] == nil {
            do {
                if job.state == .running {
                    let report = try await store.resumeJob(job.id, runner: lease)
                    log(.info, "job.recovered", job.id, "\(job.id) '\(job.name)': its runner died; resumed "
                        + "(\(report.recoveredNumbers) in-flight numbers are unconfirmed)")
                    launch(report.job)
                } else {
                    let report = try await store.recoverJob(job.id)
                    log(.info, "job.recovered", job.id, "\(job.id) '\(job.name)': paused with a dead runner; "
                        + "\(report.recoveredNumbers) in-flight numbers marked unconfirmed")
                }
            } catch StoreError.runnerActive {
                continue  // another daemon took it over first
            } catch {
                log(.error, "job.recovery-failed", job.id, "\(job.id): could not be recovered: \(error)")
            }
        }
    }

    private func startDueJobs() async throws {
        // The store would allow a start up to 1 s early; the daemon waits for the time itself.
        let now = clock.now()
        for job in try await store.dueJobs() where runners[job.id] == nil && job.scheduledAt <= now {
            do {
                let started = try await store.startJob(job.id, runner: lease)
                let delay = clock.now().timeIntervalSince(started.scheduledAt)
                log(.info, "job.started", job.id,
                    "\(job.id) '\(job.name)' started \(String(format: "%.3f", max(0, delay))) s after its time")
                launch(started)
            } catch StoreError.transitionRefused {
                continue  // another process started, cancelled or rescheduled it meanwhile
            }
        }
    }

    private func client(for endpoint: String?) throws -> PlatformClient {
        let key = endpoint ?? defaultEndpoint ?? ""
        if let client = clients[key] { return client }
        let client = try makeClient(endpoint ?? defaultEndpoint)
        clients[key] = client
        return client
    }

    private func launch(_ job: JobRecord) {
        let client: PlatformClient
        do {
            client = try self.client(for: job.endpoint)
        } catch {
            log(.error, "job.paused", job.id, "\(job.id): cannot reach the platform: \(error); the job is paused")
            runners[job.id] = Task {
                _ = try? await self.store.pauseJob(job.id, reason: "no platform client: \(error)")
                try? await self.store.releaseJob(job.id, runner: self.lease)
                self.ended(job.id)
            }
            return
        }
        let runner = JobRunner(jobID: job.id, store: store, client: client, pacer: pacer, slots: slots, clock: clock, lease: lease,
                               options: runnerOptions, stopSignal: stopSignal)
        runners[job.id] = Task {
            do {
                let outcome = try await runner.run()
                self.log(.info, "job.ended", job.id, "\(job.id) '\(job.name)': \(outcome)")
            } catch {
                self.log(.error, "job.error", job.id, "\(job.id) '\(job.name)' stopped on an error: \(error)")
                try? await self.store.releaseJob(job.id, runner: self.lease)
            }
            self.ended(job.id)
        }
    }

    private func log(_ level: Logger.Level, _ event: String, _ job: JobID, _ message: String) {
        logger.log(level: level, "\(message)", metadata: ["event": "\(event)", "job": "\(job)"])
    }

    private func ended(_ id: JobID) {
        if !stopSignal.isRaised { runners[id] = nil }
    }
}
