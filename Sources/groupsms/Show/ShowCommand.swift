import ArgumentParser
import GroupSMSModel
import GroupSMSReports

/// `groupsms show JOB`: one job's state, counts, timings and failures by reason.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one job: state, counts, timings and failures by reason.")

    @Argument(help: ArgumentHelp("The job, e.g. job-3 or 3.", valueName: "job"), transform: OptionValue.job)
    var job: JobID
    @Flag(help: "Print the job as one JSON object.")
    var json = false
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let store = try await StoreAccess.open(dataDir)
            // Accepted numbers whose report is overdue (72 h) are settled before they are counted.
            _ = try await store.expireOverdueReports(now: SystemWallClock().now())
            let summary = try await store.summary(of: job)
            if json {
                try JSONOutput.print(summary)
            } else {
                print(JobSummaryText.text(summary, withEstimate: true), terminator: "")
                // About the data dir rather than this job: malformed, unknown-id and journaled reports.
                if let intake = try await StatusReportIntakeText.line(store: store) { print(intake, terminator: "") }
            }
        }
    }
}
