import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSJobs
import GroupSMSStore
import GroupSMSReports
import GroupSMSSimulator
import GroupSMSOperations
import GroupSMSPlatform
import Logging

/// `groupsms send FILE...`: import recipients and send a job now (foreground) or at a time.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a template message to the numbers of XLSX files, now or at a scheduled time.",
        discussion: """
            Without --at the job runs in the foreground: a progress line on standard error (rewritten \
            in place on a terminal), then a summary. Ctrl-C or SIGTERM stops cleanly: requests in \
            flight are settled and the job is paused; continue it with `groupsms resume JOB`. With \
            --at the job is stored as scheduled and `groupsms daemon` starts it. Credentials: \
            GROUPSMS_APP_KEY and GROUPSMS_APP_SECRET, or --credentials FILE (mode 0600). --simulate \
            runs the whole job against the built-in simulated platform (no account, no network). \
            Send windows: Chinese mainland numbers go only 08:00-22:00 Beijing time unless \
            --send-window says otherwise; a number outside its window is postponed until it \
            opens, never dropped, and the run waits for it (the progress line says until when).
            """)

    @Argument(help: ArgumentHelp("XLSX recipient files (column A of the first sheet).", valueName: "file"))
    var files: [String]
    @Option(help: ArgumentHelp("The template id (1-32 characters, no spaces).", valueName: "id"),
            transform: OptionValue.templateID)
    var template: String
    @Option(help: ArgumentHelp("The channel number to send from (1-21 characters, no spaces).", valueName: "channel"),
            transform: OptionValue.channel)
    var from: String
    @Option(name: .customLong("param"), help: ArgumentHelp(
        "A template parameter, in order (repeatable; at most 20, each at most 20 characters).", valueName: "value"))
    var params: [String] = []
    @Option(help: ArgumentHelp("The signature name (Chinese mainland general templates).", valueName: "name"))
    var signature: String?
    @Option(help: ArgumentHelp(
        "Start time: ISO 8601 with offset (2026-12-01T09:00:00+08:00) or +90s, +10m, +2h; leave it out to send now.",
        valueName: "time"), transform: OptionValue.time)
    var at: Date?
    @Option(help: ArgumentHelp("Numbers per second, 1-500.", valueName: "n"))
    var rate: Int = JobSettings.defaultRate
    @Option(help: ArgumentHelp("The job's name (default: the first file's name).", valueName: "name"))
    var name: String?
    @Option(name: .customLong("status-callback"), help: ArgumentHelp(
        "URL the platform posts this job's status reports to (stored with the job); `none` sends no callback, so the "
            + "platform uses the URL set on its console (the only place it sends batch reports).",
        valueName: "url|none"))
    var statusCallback: String?
    @Option(name: .customLong("max-defer"), help: ArgumentHelp(
        "Longest wait for a per-number frequency limit before the number fails with LOCAL_LIMIT (e.g. 60m).",
        valueName: "duration"))
    var maxDefer: String = "60m"
    @Option(name: .customLong("send-window"), help: ArgumentHelp(
        "Hours of each recipient's local time to send in: HH:MM-HH:MM (may wrap midnight, e.g. 20:00-08:00), "
            + "`default` (Chinese mainland numbers 08:00-22:00 Beijing time, other numbers any hour) or `any` "
            + "(no window: real-time notices). Numbers outside their window are postponed, never dropped.",
        valueName: "window|default|any"), transform: OptionValue.sendWindow)
    var sendWindow: SendWindowSetting?
    @Option(name: .customLong("send-by"), help: ArgumentHelp(
        "Deadline, written as --at is: numbers still waiting then (for their window or otherwise) fail as "
            + "retryable SEND_WINDOW, to be sent again with `groupsms rerun`.", valueName: "time"),
            transform: OptionValue.time)
    var sendBy: Date?
    @Option(name: .customLong("default-country"), help: ArgumentHelp("Region for numbers without a country code.", valueName: "cc"))
    var defaultCountry: String = JobSettings.defaultCountry
    @Flag(help: "Send to a simulated platform started in this process on loopback (demo credentials); implies a loopback report listener.")
    var simulate = false
    @Option(name: .customLong("export-failed"), help: ArgumentHelp(
        "After the run (and the report wait), write <job>-failed.xlsx and .csv into this folder.", valueName: "dir"))
    var exportFailed: String?
    @Flag(help: "Print the job as one JSON object (the `show --json` shape) instead of text; with --dry-run, the estimate.")
    var json = false
    @Option(help: ArgumentHelp(
        "`columns`: row 1 is a header, column A the numbers and B, C, ... each row's own template values (batchSendDiffSms).",
        valueName: "columns"))
    var variables: String?
    @Flag(name: .customLong("dry-run"), help: "Check the job and print its estimate (numbers, preview, segments, cost); send and store nothing.")
    var dryRun = false
    @Option(help: ArgumentHelp(
        "Price table CSV (region,price_per_segment,currency; * for the rest) for the estimate's cost (default: prices.csv in the data dir).",
        valueName: "file"))
    var prices: String?
    @OptionGroup var reports: ReportListenerOptions
    @OptionGroup var access: PlatformAccessOptions
    @OptionGroup var dataDir: DataDirOption
    @OptionGroup var logging: LogOptions

    func validate() throws {
        guard JobSettings.rates.contains(rate) else { throw ValidationError("--rate must be 1 to 500 numbers per second") }
        // Limits no template can take are usage errors, as in job files; the catalogue
        // template's own rules are checked once the recipients are read (exit 1).
        if let problem = JobFileRules.paramsProblem(params) { throw ValidationError("--param: \(problem)") }
        do { _ = try ScheduleTimeParser.parseDuration(maxDefer) } catch { throw ValidationError("--max-defer: \(error)") }
        guard PhoneNumberNormalizer.supportedRegions.contains(defaultCountry.uppercased()) else {
            throw ValidationError("--default-country \(defaultCountry) is not a region code libphonenumber knows (e.g. CN, US, GB).")
        }
        _ = try reports.callback(statusCallback: statusCallback,
                                 endpoint: simulate ? "http://127.0.0.1" : access.resolvedEndpoint)
        if let variables {
            if let problem = RecipientLayout.variablesProblem(variables) { throw ValidationError("--variables: \(problem)") }
            guard params.isEmpty else {
                throw ValidationError("--variables columns takes each row's values from the file; leave out --param")
            }
        }
        guard !(dryRun && (reports.listen != nil || reports.waitReports != nil || exportFailed != nil)) else {
            throw ValidationError("--dry-run sends nothing; --listen, --wait-reports and --export-failed belong to a real run")
        }
        if let sendBy, sendBy <= (at ?? Date()) {
            throw ValidationError("--send-by must be after the start (\(ISO8601DateFormatter().string(from: at ?? Date())))")
        }
        guard !(simulate && at != nil) else {
            throw ValidationError("--simulate runs the job now; it cannot be combined with --at")
        }
        guard at == nil || (reports.listen == nil && reports.waitReports == nil && exportFailed == nil) else {
            throw ValidationError("--listen, --wait-reports and --export-failed belong to a run now; with --at, use `groupsms daemon --listen`")
        }
    }

    func run() async throws {
        try await refusingErrors {
            let events = try eventLog()
            let clock = SystemWallClock()
            if let at, !dryRun { try ScheduleRules().checkFirstStart(at, now: clock.now()) }
            let deferLimit = try ScheduleTimeParser.parseDuration(maxDefer)
            let recipients = RecipientFileList.distinct(files)
            recipients.warnings.forEach { StandardError.print("groupsms: warning: \($0)") }
            // A dry run only reads a data dir that exists; a real run creates it.
            let store = dryRun ? try await StoreAccess.openExisting(dataDir, clock: clock) : try await StoreAccess.open(dataDir, clock: clock)
            let catalogue = try await store?.template(id: template)?.template
            let report = try await RecipientImport.read(
                recipients.paths, layout: layout(), defaultRegion: defaultCountry.uppercased(), templateID: template,
                template: catalogue)
            guard report.valid > 0 else {
                throw CommandRefusal(description: "no valid number in \(files.joined(separator: ", ")); see `groupsms check`")
            }
            if !report.invalid.isEmpty || report.duplicates > 0 {
                let invalid = report.invalid.count == 1 ? "1 invalid entry" : "\(report.invalid.count) invalid entries"
                let repeats = report.duplicates == 1 ? "1 duplicate" : "\(report.duplicates) duplicates"
                StandardError.print("groupsms: \(report.valid) numbers; \(invalid) (kept as failed INVALID_NUMBER), "
                                    + "\(repeats) skipped")
            }
            guard let store, !dryRun else {
                return try await printDryRun(report, maxDefer: deferLimit, store: store, catalogue: catalogue)
            }
            let draft = try await prepare(report, start: at, maxDefer: deferLimit, store: store, catalogue: catalogue)
            EstimateOutput.printBeforeRun(draft.estimate, json: json)
            let simulator = simulate ? try await PlatformSimulator.start(try await Self.simulatedPlatform(store: store)) : nil
            let receiver = at == nil
                ? try await reports.startReceiver(
                    store: store, implied: simulate ? "127.0.0.1:0" : nil,
                    operations: StatusReportReceiverOperations(events: events), log: Self.receiverLog(events)) : nil
            do {
                try await send(draft, start: at, store: store, simulator: simulator, receiver: receiver,
                               events: events)
                await receiver?.shutdown()
                await simulator?.shutdown()
            } catch {
                await receiver?.shutdown()
                await simulator?.shutdown()
                throw error
            }
        }
    }

    /// The receiver's lines as JSON events, when there is an event log.
    private static func receiverLog(_ events: Logger?) -> (@Sendable (String) -> Void)? {
        guard let events else { return nil }
        return { line in events.warning("\(line)", metadata: ["event": "receiver"]) }
    }

    /// With `--log-format json`, the JSON event log on standard error (standard output keeps the
    /// summary); nil with text, which keeps the progress line.
    private func eventLog() throws -> Logger? {
        guard logging.isJSON else { return nil }
        let credentials: PlatformCredentials? = simulate
            ? .simulatorDemo : try? CredentialsSource.load(file: access.credentials)
        let logger = logging.logger(sink: .standardError, redactor: LogOptions.redactor(
            credentials: credentials, reportToken: try reports.resolvedToken()))
        StandardError.jsonLog.withLock { $0 = logger }
        return logger
    }

    private func send(_ prepared: JobDraft, start: Date?, store: any JobStoring,
                      simulator: PlatformSimulator?, receiver: StatusReportReceiver?, events: Logger?) async throws {
        let endpoint = simulator?.endpoint ?? access.resolvedEndpoint
        var draft = prepared
        draft.endpoint = endpoint
        if let warning = try draft.sendWindowForecast(start: start ?? Date()).warning {
            StandardError.print("groupsms: warning: \(warning)")
        }
        guard start == nil else {
            let job = try await store.createJob(draft)
            let window = ScheduleRules().changeWindowNote(job: job.id.description, start: job.scheduledAt,
                                                          now: SystemWallClock().now())
            try await printJob(job.id, store: store, note: "\(job.id) '\(job.name)' is scheduled for "
                               + "\(ISO8601DateFormatter().string(from: job.scheduledAt)); `groupsms daemon` starts it. "
                               + window)
            return
        }
        // Credentials are checked before the job exists, so a missing secret creates no job.
        let factory = try access.makeClientFactory(credentials: simulator == nil ? nil : .simulatorDemo)
        let client = try factory(endpoint)
        defer { client.shutdown() }
        let lease = RunnerLease.forThisProcess()
        let job = try await store.createJob(draft, runner: lease)
        let callback = try reports.callback(statusCallback: statusCallback, endpoint: endpoint,
                                            receiverURL: receiver?.callbackURL)
        let outcome = try await ForegroundRunner(store: store, client: client, lease: lease, showProgress: events == nil,
                                                 statusCallback: callback, events: events).run(job.id)
        if receiver != nil, case .finished = outcome {
            try await waitForReports(job.id, store: store)
        }
        try await printJob(job.id, store: store, note: ForegroundRunner.describe(outcome, job: job.id))
        if let exportFailed {
            try await store.expireOverdueReports()
            let export = try await store.failedNumbers(of: job.id)
            let files = try FailedNumbersWorkbook.write(export, to: exportFailed)
            let target: (String) -> Void = json ? { StandardError.print($0) } : { Swift.print($0) }
            target("Failed numbers: \(files.workbookPath) (retryable, re-importable) and \(files.csvPath) (all, with reasons)")
        }
        try ForegroundRunner.exit(for: outcome)
    }

    /// Keeps the receiver listening until every accepted number has its status report, or the
    /// wait (`--wait-reports`; 30 s with `--simulate`, whose reports come within seconds) ends.
    private func waitForReports(_ job: JobID, store: any JobStoring) async throws {
        let seconds = reports.waitDuration(fallback: simulate ? 30 : 0)
        let awaiting = try await store.summary(of: job).awaitingReport
        guard seconds > 0, awaiting > 0 else { return }
        StandardError.print("groupsms: waiting up to \(Int(seconds))s for the status reports of \(awaiting) numbers")
        let left = try await ReportWait.untilReported(job, store: store, seconds: seconds)
        if left > 0 {
            StandardError.print("groupsms: \(left) numbers still await a report; `groupsms daemon --listen` keeps receiving them (up to 72 h)")
        }
    }

    /// The embedded platform of `--simulate`: real HTTP on loopback, status reports a second
    /// after sending, with a fixed (seeded) mix of failures so the whole loop shows: reports,
    /// failure classes, the suppression list and the export. It holds the catalogue's templates
    /// (checked with its own code, as the platform would); with an empty catalogue it takes any.
    static func simulatedPlatform(store: any JobStoring) async throws -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.templates = try await SimulatedCatalogue.registry(from: store)
        configuration.keepRecords = false
        configuration.latency = 0.02...0.08
        configuration.reports.delay = 1
        configuration.reports.failureFraction = 0.2
        configuration.reports.failureStatuses = ["UNDELIV", "EXPIRED", "REJECTD"]
        return configuration
    }

    private func printJob(_ id: JobID, store: any JobStoring, note: String?) async throws {
        let summary = try await store.summary(of: id)
        if json { try JSONOutput.print(summary) } else { print(JobSummaryText.text(summary), terminator: "") }
        if let note { StandardError.print("groupsms: \(note)") }
    }

    /// The first file's name without its extension.
    static func defaultName(_ files: [String]) -> String {
        ((files.first ?? "job") as NSString).lastPathComponent.components(separatedBy: ".").first ?? "job"
    }
}
