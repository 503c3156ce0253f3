import ArgumentParser

/// The `groupsms` command: bulk SMS jobs from XLSX recipient lists.
@main
struct GroupSMSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groupsms",
        abstract: "Run Group SMS Assistant style bulk SMS jobs from XLSX recipient lists.",
        discussion: """
            Exit status: 0 success; 1 a refused input or operation (the message names the file, \
            cell, job or rule); 64 a usage error.
            """,
        version: VersionText.text,
        subcommands: [
            CheckCommand.self, SendCommand.self, SubmitCommand.self, JobsCommand.self, ShowCommand.self,
            CancelCommand.self, RescheduleCommand.self, PauseCommand.self, ResumeCommand.self, DaemonCommand.self,
            ExportFailedCommand.self, RerunCommand.self, SuppressCommand.self, TemplateCommand.self,
        ])
}
