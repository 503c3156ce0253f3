import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSJobs
import GroupSMSStore

/// `groupsms rerun JOB`: a new job with a finished job's retryable numbers.
struct RerunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Create a new job that sends a job's retryable numbers again.",
        discussion: """
            The new job is linked to the original (show lists the link both ways) and keeps its \
            template, parameters, signature and channel. It holds the retryable numbers (failed \
            retryable, EXPIRED, LOCAL_LIMIT, not sent) and, with --include-unconfirmed, the \
            unconfirmed ones, which the platform may already have sent. Like any job it skips \
            numbers on the suppression list and obeys the frequency limits and the original's send \
            window. Without --at it is due at once; a --send-by deadline is its own, never the \
            original's.
            """)

    @Argument(help: ArgumentHelp("The job to rerun, e.g. job-12 or 12.", valueName: "job"), transform: OptionValue.job)
    var job: JobID

    @Option(help: ArgumentHelp("Start time: ISO 8601 with offset (2026-12-01T09:00:00+08:00) or +90s, +10m, +2h.",
                               valueName: "time"), transform: OptionValue.time)
    var at: Date?

    @Option(name: .customLong("send-by"), help: ArgumentHelp(
        "Deadline: numbers still waiting then fail as retryable SEND_WINDOW.", valueName: "time"),
            transform: OptionValue.time)
    var sendBy: Date?

    @Flag(name: .customLong("include-unconfirmed"), help: "Also send the numbers whose first send is unconfirmed.")
    var includeUnconfirmed = false

    @Option(help: ArgumentHelp("Name of the new job (default: the original's name + \" rerun\").", valueName: "name"))
    var name: String?

    @Flag(help: "Print the new job as show --json does.")
    var json = false

    @OptionGroup var dataDir: DataDirOption

    func validate() throws {
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty.") }
    }

    func run() async throws {
        try await refusingErrors {
            let clock = SystemWallClock()
            if let at { try ScheduleRules().checkFirstStart(at, now: clock.now()) }
            let store = try await StoreAccess.open(dataDir, clock: clock)
            let result = try await JobPreflight.rerun(job, includeUnconfirmed: includeUnconfirmed, name: name,
                                                      scheduledAt: at, sendBy: sendBy, store: store)
            let summary = try await store.summary(of: result.job.id)
            if json {
                try JSONOutput.print(summary)
            } else {
                print(Self.text(result, original: job, estimate: summary.estimate), terminator: "")
            }
        }
    }

    static func text(_ result: RerunResult, original: JobID, estimate: Estimate? = nil) -> String {
        let total = result.retryable + result.unconfirmed
        var text = "Created \(result.job.id) \"\(result.job.name)\", a rerun of \(original): "
            + "\(total) number\(total == 1 ? "" : "s") (\(result.retryable) retryable"
        if result.unconfirmed > 0 { text += ", \(result.unconfirmed) unconfirmed" }
        text += ").\n"
        if !result.suppressed.isEmpty {
            let count = result.suppressed.count
            text += "\(count) of them \(count == 1 ? "is" : "are") on the suppression list and will not be sent: "
                + result.suppressed.prefix(10).joined(separator: ", ") + (count > 10 ? ", ..." : "") + "\n"
        }
        text += "Starts \(DeliveryTimeText.iso(result.job.scheduledAt)).\n"
        if let estimate { text += "Estimate\n" + estimate.text(indentedBy: "  ") + "\n" }
        return text
    }
}
