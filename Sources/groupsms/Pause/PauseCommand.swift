import ArgumentParser
import GroupSMSModel

/// `groupsms pause JOB`: stop a running job after its requests in flight are answered.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a running job; its unsent numbers wait for `groupsms resume`.",
        discussion: "The job's runner (a foreground send or the daemon) notices within seconds, lets the requests in flight finish, and lets the job go.")

    @Argument(help: ArgumentHelp("The job, e.g. job-3 or 3.", valueName: "job"), transform: OptionValue.job)
    var job: JobID
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let record = try await StoreAccess.open(dataDir).pauseJob(job)
            print("\(record.id) '\(record.name)' paused; continue with: groupsms resume \(record.id)")
        }
    }
}
