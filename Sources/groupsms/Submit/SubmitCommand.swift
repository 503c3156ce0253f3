import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSJobs

/// `groupsms submit JOBFILE...`: create scheduled jobs from YAML job files.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Create jobs from YAML job files; `groupsms daemon` starts them at their time.",
        discussion: """
            Keys: name, recipients (paths relative to the job file), template, params, from, \
            signature, at (omitted: start now; a time more than a minute past is refused), rate, \
            status_callback, default_country, max_defer, send_window (HH:MM-HH:MM, default or any), \
            send_by (a deadline, written as at is), template_text and template_kind (the approved \
            text, checked like a catalogue template). Each job is checked against its template and \
            estimated before it is stored, priced with the data dir's prices.csv. A job file holds at most 1 MiB. Every \
            file is read and imported before any job is created, so one bad file creates none.
            """)

    @Argument(help: ArgumentHelp("YAML job files.", valueName: "jobfile"))
    var jobFiles: [String]
    @Option(help: ArgumentHelp("The API access address stored with the jobs (default: $GROUPSMS_ENDPOINT, "
                               + "else the daemon's).", valueName: "url"))
    var endpoint: String?
    @Flag(help: "Print {\"jobs\":[...]} with one `show --json` object per created job.")
    var json = false
    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let clock = SystemWallClock()
            let stored = endpoint ?? ProcessInfo.processInfo.environment["GROUPSMS_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
            let store = try await StoreAccess.open(dataDir, clock: clock)
            var drafts: [JobDraft] = []
            for path in jobFiles {
                let file = try JobFile.load(path: path, clock: clock)
                file.warnings.forEach { StandardError.print("groupsms: \(path): warning: \($0)") }
                let draft: JobDraft
                do {
                    draft = try await JobDraft.importing(file, endpoint: stored, store: store)
                } catch let error as TemplateError {
                    throw CommandRefusal(description: "\(path): \(error)")
                }
                if let warning = try draft.sendWindowForecast(start: draft.scheduledAt ?? clock.now()).warning {
                    StandardError.print("groupsms: \(path): warning: \(warning)")
                }
                drafts.append(draft)
            }
            var summaries: [JobSummary] = []
            for draft in drafts {
                let job = try await store.createJob(draft)
                summaries.append(try await store.summary(of: job.id))
            }
            if json {
                try JSONOutput.print(JobsCommand.Listing(jobs: summaries))
                return
            }
            let formatter = ISO8601DateFormatter()
            for s in summaries {
                let window = ScheduleRules().changeWindowNote(job: s.job.id.description, start: s.job.scheduledAt,
                                                              now: clock.now())
                print("\(s.job.id) '\(s.job.name)' scheduled for \(formatter.string(from: s.job.scheduledAt)) "
                      + "with \(s.total) numbers. \(window)")
                if let estimate = s.estimate {
                    print(estimate.text(indentedBy: "  "))
                }
            }
        }
    }
}
