import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSJobs
import GroupSMSOperations
import GroupSMSReports

/// `groupsms daemon`: start scheduled jobs on time and run the jobs folder.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run scheduled jobs on time, picking up job files from a folder.",
        discussion: """
            Starts each job within a second of its time, reads new and changed *.yaml files in the \
            jobs folder (a changed file replaces its job while that job may still be rescheduled; \
            later changes are ignored with a message), runs several jobs at once under one shared \
            500/s pace, and resumes jobs whose runner died. SIGTERM or Ctrl-C stops cleanly: \
            requests in flight are answered or become unconfirmed, and running jobs are resumed by \
            the next daemon start. With --listen the same port also serves GET /metrics (Prometheus text), \
            GET /livez and GET /readyz (503 while the job store cannot be used).
            """)

    @Option(name: .customLong("jobs-dir"), help: ArgumentHelp("Folder of YAML job files.", valueName: "dir"))
    var jobsDir: String?
    @Option(name: .customLong("lease"), help: ArgumentHelp(
        "With --store: seconds a running job's lease lasts unless renewed (renewed every third of it); "
            + "another daemon takes the job over once it expired.", valueName: "seconds"))
    var lease: Double = 15
    @OptionGroup var reports: ReportListenerOptions
    @OptionGroup var access: PlatformAccessOptions
    @OptionGroup var dataDir: DataDirOption
    @OptionGroup var logging: LogOptions

    func validate() throws {
        guard (3...600).contains(lease) else { throw ValidationError("--lease takes 3 to 600 seconds") }
        _ = try reports.callback(statusCallback: nil, endpoint: access.resolvedEndpoint)
        guard reports.waitReports == nil else {
            throw ValidationError("--wait-reports is for `send`; the daemon listens for as long as it runs")
        }
    }

    func run() async throws {
        try await refusingErrors { try await serve() }
    }

    /// The daemon's whole run: store, logs, metrics, receiver, then the job loop until a signal.
    private func serve() async throws {
        let clock = SystemWallClock()
        let store = try await StoreAccess.open(dataDir, clock: clock, lease: lease)
        let credentials = try CredentialsSource.load(file: access.credentials)
        let factory = try access.makeClientFactory(credentials: credentials)
        let folder = try jobsFolder()
        let redactor = LogOptions.redactor(credentials: credentials, reportToken: try reports.resolvedToken())
        let logger = logging.logger(sink: .standardOutput, redactor: redactor)
        if logging.isJSON { StandardError.jsonLog.withLock { $0 = logging.logger(sink: .standardError, redactor: redactor) } }
        let pacer = SendPacer.forPlatform(store: store, clock: clock)
        let metrics = OperationsMetrics(paceRate: pacer.rate, paceWindow: pacer.window)
        let events = logging.isJSON ? logger : nil
        let operations = StatusReportReceiverOperations(
            metrics: metrics.reports, events: events,
            routes: OperationsEndpoints(metrics: metrics, store: store, clock: clock))
        var receiverLog: (@Sendable (String) -> Void)?
        if logging.isJSON {
            receiverLog = { line in logger.warning("\(line)", metadata: ["event": "receiver"]) }
        }
        let receiver = try await reports.startReceiver(store: store, operations: operations, log: receiverLog)
        if let receiver {
            logger.info("receiving status reports at \(Self.withoutToken(receiver.callbackURL))",
                        metadata: ["event": "receiver.started"])
        }
        let signals = TerminationSignals { _ in
            logger.notice("stopping: waiting for requests in flight (signal again to quit at once)",
                          metadata: ["event": "daemon.stopping"])
        }
        var options = JobRunnerOptions(statusCallback: try reports.callback(
            statusCallback: nil, endpoint: access.resolvedEndpoint, receiverURL: receiver?.callbackURL),
            metrics: metrics.send, events: events)
        options.heartbeatInterval = min(options.heartbeatInterval, lease / 3)
        let daemon = JobDaemon(store: store, clock: clock, pacer: pacer, lease: RunnerLease.forThisProcess(),
                               jobsFolder: folder.map { JobFolderWatcher(folder: $0, dataDirectory: dataDir.directory) },
                               defaultEndpoint: access.resolvedEndpoint, runnerOptions: options,
                               stopSignal: signals.stop, logger: logger, makeClient: factory)
        let storeText = try dataDir.postgresURL().map { "store \($0), lease \(lease) s, " } ?? ""
        let started = "daemon started (pid \(getpid()), \(storeText)data dir \(dataDir.directory.path)"
            + (folder.map { ", jobs folder \($0)" } ?? ", no jobs folder") + ")"
        logger.info("\(started)", metadata: ["event": "daemon.started"])
        do {
            try await daemon.run()
        } catch {
            await receiver?.shutdown()
            throw error
        }
        await receiver?.shutdown()
        logger.info("daemon stopped", metadata: ["event": "daemon.stopped"])
        withExtendedLifetime(signals) {}
    }

    /// `--jobs-dir` must exist; the default `Jobs` is used only when it exists.
    private func jobsFolder() throws -> String? {
        var isDirectory: ObjCBool = false
        let path = jobsDir ?? "Jobs"
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        if exists { return path }
        if jobsDir != nil { throw CommandRefusal(description: "\(path): no such folder (--jobs-dir)") }
        return nil
    }

    /// The receiver's URL as the log shows it: a secret path token is a secret, so it is hidden.
    static func withoutToken(_ url: String) -> String {
        guard let range = url.range(of: "/reports/") else { return url }
        return url[..<range.upperBound] + "<token>"
    }
}
