import GroupSMSTestSupport
import Testing

@Suite("groupsms --help")
struct HelpTests {
    @Test("lists every subcommand that exists")
    func listsSubcommands() throws {
        let run = try CommandLineRunner.run(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: groupsms <subcommand>"))
        for command in GroupSMSCommandList.names {
            #expect(run.stdout.contains("  \(command) "), "help does not list \(command)")
        }
    }

    @Test("an unknown subcommand is a usage error (exit 64)")
    func unknownSubcommand() throws {
        let run = try CommandLineRunner.run(["frobnicate"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("frobnicate"))
    }
}

/// The subcommands this build of `groupsms` provides.
enum GroupSMSCommandList {
    static let names = ["check", "send", "submit", "jobs", "show", "cancel", "reschedule", "pause", "resume", "daemon",
                              "export-failed", "rerun", "suppress"]
}
