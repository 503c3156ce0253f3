import ArgumentParser
import Foundation
import GroupSMSModel

/// `groupsms reschedule JOB --at TIME`: move a scheduled job's start (same window as cancel).
struct RescheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reschedule",
        abstract: "Move a scheduled job's start (refused from 5 minutes before its start onwards).")

    @Argument(help: ArgumentHelp("The job, e.g. job-3 or 3.", valueName: "job"), transform: OptionValue.job)
    var job: JobID
    @Option(help: ArgumentHelp("New start: ISO 8601 with offset or +90s, +10m, +2h.", valueName: "time"),
            transform: OptionValue.time)
    var at: Date
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let clock = SystemWallClock()
            let record = try await StoreAccess.open(dataDir, clock: clock).rescheduleJob(job, to: at)
            let note = ScheduleRules().changeWindowNote(job: record.id.description, start: record.scheduledAt,
                                                        now: clock.now())
            print("\(record.id) '\(record.name)' now starts \(ISO8601DateFormatter().string(from: record.scheduledAt)). \(note)")
        }
    }
}
