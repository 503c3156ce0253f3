import ArgumentParser
import GroupSMSModel

/// `groupsms cancel JOB`: cancel a scheduled job, until 5 minutes before its start.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a scheduled job (refused from 5 minutes before its start onwards).",
        discussion: "A started job cannot be cancelled (FAQ 9.4); pause it instead.")

    @Argument(help: ArgumentHelp("The job, e.g. job-3 or 3.", valueName: "job"), transform: OptionValue.job)
    var job: JobID
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let record = try await StoreAccess.open(dataDir).cancelJob(job)
            print("\(record.id) '\(record.name)' cancelled; none of its numbers will be sent")
        }
    }
}
