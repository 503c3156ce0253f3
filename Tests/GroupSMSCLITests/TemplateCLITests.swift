import Foundation
import GroupSMSTestSupport
import GroupSMSXLSX
import Testing

/// Issue 12: the template catalogue commands and `send --dry-run`, exact output.
@Suite("template catalogue and dry run on the command line")
struct TemplateCLITests {
    static let text = "Maintenance on ${TXT_20}, ${TXT_11}: service may be interrupted."

    private func run(_ arguments: [String], data: String) throws -> CommandLineRun {
        try CommandLineRunner.run(arguments + ["--data-dir", data])
    }

    /// Two mainland numbers, one GB number, one invalid entry and one repeat.
    static func mixedWorkbook(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("mixed.xlsx")
        let values = ["+8613912345678", "+447400123456", "not a number", "+8613912345679", "+86 139 1234 5678"]
        try XLSXWriter(sheets: [XLSXSheet.textColumn(name: "Sheet1", header: "Phone", values)]).write(to: path)
        return path
    }

    @Test("add, list, show (text and JSON) and remove")
    func catalogueCommands() throws {
        let directory = try TemporaryDirectory(prefix: "cli-templates")
        let data = directory.file("data")
        let add = try run(["template", "add", "T1", "--text", Self.text, "--signature", "Acme", "--name", "Outage"],
                          data: data)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "Added template T1 (notification, mainland, 2 variables).\n")
        let again = try run(["template", "add", "T1", "--text", "Hi"], data: data)
        #expect(again.status == 1)
        #expect(again.stderr == "groupsms: template T1 is already in the catalogue; give --replace to overwrite it, "
                + "or `groupsms template remove T1` first\n")
        #expect(try run(["template", "list"], data: data).stdout
                == "T1  notification, mainland, 2 variables, signature 【Acme】  Outage\n")
        let show = try run(["template", "show", "T1"], data: data).stdout
        #expect(show.hasPrefix("""
            Template    T1
            Name        Outage
            Kind        notification
            Region      mainland
            Signature   【Acme】
            Text        \(Self.text)
              1. ${TXT_20}  1 to 20 characters, no { or }
              2. ${TXT_11}  1 to 11 characters, no { or }
            Added       20
            """))
        let json = try JobCLITestKit.object(try run(["template", "show", "T1", "--json"], data: data).stdout)
        #expect(json["kind"] as? String == "notification" && json["signature"] as? String == "Acme")
        #expect((json["variables"] as? [[String: Any]])?.compactMap { $0["placeholder"] as? String }
                == ["${TXT_20}", "${TXT_11}"])
        let listed = try JobCLITestKit.object(try run(["template", "list", "--json"], data: data).stdout)
        #expect((listed["templates"] as? [Any])?.count == 1)
        #expect(try run(["template", "remove", "T1"], data: data).stdout == "Removed template T1 from the catalogue.\n")
        let gone = try run(["template", "remove", "T1"], data: data)
        #expect(gone.status == 1)
        #expect(gone.stderr == "groupsms: template T1 is not in the catalogue; `groupsms template list` shows what is\n")
        #expect(try run(["template", "list"], data: data).stdout
                == "The template catalogue is empty; add one with `groupsms template add ID --text TEXT`.\n")
    }

    @Test("a template text that breaks the variable rules is refused at add, naming the placeholder")
    func badTemplateText() throws {
        let directory = try TemporaryDirectory(prefix: "cli-templates")
        let bad = try run(["template", "add", "T2", "--text", "Code ${NUM_21} now"], data: directory.file("data"))
        #expect(bad.status == 1)
        #expect(bad.stderr == "groupsms: template text: ${NUM_21} at character 6 has a length outside 1 to 20; "
                + "write n as 1 to 20 without leading zeros\n")
    }

    @Test("send --dry-run --json prints the SPEC §6 object and creates nothing")
    func dryRunJSON() throws {
        let directory = try TemporaryDirectory(prefix: "cli-dry-run")
        let data = directory.file("data")
        let book = try Self.mixedWorkbook(in: directory)
        #expect(try run(["template", "add", "T1", "--text", Self.text, "--signature", "Acme"], data: data).status == 0)
        let prices = directory.file("prices.csv")
        try "region,price_per_segment,currency\nCN,0.045,CNY\n*,0.30,CNY\n".write(toFile: prices, atomically: true, encoding: .utf8)
        let dry = try run(["send", book, "--template", "T1", "--from", "8824110605", "--param", "Sunday 6 December",
                           "--param", "02:00-04:00", "--dry-run", "--json", "--prices", prices], data: data)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == #"{"byRegion":[{"cost":0.18,"numbers":2,"region":"CN","segments":4},"#
                + #"{"cost":0.3,"numbers":1,"region":"GB","segments":1}],"cost":{"amount":0.48,"currency":"CNY"},"#
                + #""duplicates":1,"encoding":"mainland","invalid":1,"nonGsmCharacters":[],"numbers":3,"#
                + #""preview":"【Acme】Maintenance on Sunday 6 December, 02:00-04:00: service may be interrupted.","#
                + #""segments":5,"segmentsPerMessage":{"max":2,"min":1},"suppressed":0,"templateChecked":true}"# + "\n")
        let jobs = try JobCLITestKit.object(try run(["jobs", "--json"], data: data).stdout)
        #expect((jobs["jobs"] as? [Any])?.isEmpty == true, "a dry run stores no job")
    }

    @Test("a dry run before any data dir exists creates none, and says the template was not checked")
    func dryRunWithoutDataDir() throws {
        let directory = try TemporaryDirectory(prefix: "cli-dry-run")
        let data = directory.file("never")
        let book = try Self.mixedWorkbook(in: directory)
        let dry = try run(["send", book, "--template", "T9", "--from", "8824110605", "--dry-run"], data: data)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Template    not checked\n            note: template T9 is not in the local catalogue"))
        #expect(dry.stdout.hasSuffix("Dry run: nothing was sent or stored.\n"))
        #expect(!FileManager.default.fileExists(atPath: data))
    }
}
