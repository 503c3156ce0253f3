import ArgumentParser
import GroupSMSModel

/// `groupsms resume JOB`: continue a paused job, or a running job whose runner died, here.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a paused job, or a job whose runner died, in the foreground.",
        discussion: """
            Requests that were in flight when the previous runner died become `unconfirmed` first: \
            they may have reached the platform, so they are never resent automatically. The rest \
            of the job is sent like `send` does (progress, Ctrl-C pauses), to the job's stored \
            endpoint with the credentials of this environment.
            """)

    @Argument(help: ArgumentHelp("The job, e.g. job-3 or 3.", valueName: "job"), transform: OptionValue.job)
    var job: JobID
    @Flag(help: "Print the job as one JSON object at the end.")
    var json = false
    @OptionGroup var access: PlatformAccessOptions
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let store = try await StoreAccess.open(dataDir)
            let record = try await store.job(job)
            // Build the client before taking the job, so missing credentials leave it untouched.
            let client = try access.makeClientFactory()(record.endpoint ?? access.resolvedEndpoint)
            defer { client.shutdown() }
            let lease = RunnerLease.forThisProcess()
            let report = try await store.resumeJob(job, runner: lease)
            if report.recoveredChunks > 0 {
                StandardError.print("groupsms: \(job): \(report.recoveredNumbers) numbers of \(report.recoveredChunks) "
                                    + "chunks in flight when the previous runner stopped are now unconfirmed (not resent)")
            }
            let outcome = try await ForegroundRunner(store: store, client: client, lease: lease, showProgress: true,
                                                     statusCallback: nil).run(job)
            let summary = try await store.summary(of: job)
            if json { try JSONOutput.print(summary) } else { print(JobSummaryText.text(summary), terminator: "") }
            if let note = ForegroundRunner.describe(outcome, job: job) { StandardError.print("groupsms: \(note)") }
            try ForegroundRunner.exit(for: outcome)
        }
    }
}
