@testable import groupsms
import GroupSMSTestSupport
import Testing

@Suite("groupsms --help and --version")
struct HelpTests {
    /// The subcommands as the command configuration declares them, so a command missing from
    /// the help (or from the configuration's list the help is made of) fails the test.
    static let commandNames = GroupSMSCommand.configuration.subcommands.map { $0.configuration.commandName ?? "" }

    @Test("lists every subcommand of the command configuration")
    func listsSubcommands() throws {
        #expect(!Self.commandNames.isEmpty && !Self.commandNames.contains(""))
        let run = try CommandLineRunner.run(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: groupsms <subcommand>"))
        for command in Self.commandNames {
            #expect(run.stdout.contains("  \(command) "), "help does not list \(command)")
        }
    }

    @Test("an unknown subcommand is a usage error (exit 64)")
    func unknownSubcommand() throws {
        let run = try CommandLineRunner.run(["frobnicate"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("frobnicate"))
    }

    @Test("--version prints the release, the phone metadata release and the linked C libraries")
    func version() throws {
        let run = try CommandLineRunner.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == VersionText.text + "\n")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let names = ["groupsms", "libphonenumber metadata", "SQLite", "libxml2", "libzip", "libcurl"]
        #expect(lines.count == names.count)
        for (line, name) in zip(lines, names) {
            let version = line.dropFirst(name.count + 1)
            #expect(line.hasPrefix(name + " ") && version.first?.isNumber == true, "\(line)")
        }
        #expect(lines[1] == "libphonenumber metadata 9.0.43")
    }
}
