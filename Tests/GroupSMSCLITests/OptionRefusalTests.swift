import Foundation
import GroupSMSTestSupport
import Testing

/// Option values the job files already refuse are refused on the command line too, as usage
/// errors (exit 64) that name the option (issue 11, item 6; issue 9).
@Suite("option values: the job-file rules, usage errors, job ids")
struct OptionRefusalTests {
    private func send(_ options: [String]) throws -> CommandLineRun {
        let directory = try TemporaryDirectory(prefix: "cli-options")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        return try CommandLineRunner.run(["send", book] + options + ["--simulate", "--data-dir", directory.file("data")])
    }

    @Test("a blank --template and a --from with a space are refused before anything is sent")
    func tokens() throws {
        let template = try send(["--template", " ", "--from", "8824110605"])
        #expect(template.status == 64)
        #expect(template.stdout.isEmpty)
        #expect(template.stderr.hasPrefix("Error: The value ' ' is invalid for '--template <id>': must not be empty\n"))
        let from = try send(["--template", "t", "--from", "88 24"])
        #expect(from.status == 64)
        #expect(from.stderr.hasPrefix(
            "Error: The value '88 24' is invalid for '--from <channel>': must not contain spaces, got '88 24'\n"))
    }

    @Test("more than 20 --param values, or one longer than 20 characters, is refused with the limit")
    func params() throws {
        let many = try send(["--template", "t", "--from", "8824110605"] + (1...21).flatMap { ["--param", "\($0)"] })
        #expect(many.status == 64)
        #expect(many.stderr.hasPrefix("Error: --param: 21 parameters given; a template has at most 20 variables\n"))
        let long = try send(["--template", "t", "--from", "8824110605", "--param", "ok",
                             "--param", String(repeating: "x", count: 1_000)])
        #expect(long.status == 64)
        #expect(long.stderr.hasPrefix(
            "Error: --param: parameter 2 has 1000 characters; a template variable holds at most 20\n"))
    }

    @Test("a job id that is not one is a usage error that says how to write one")
    func jobIDs() throws {
        for command in [["cancel"], ["show"], ["pause"], ["resume"], ["reschedule", "--at", "+1h"], ["rerun"],
                        ["export-failed"]] {
            let run = try CommandLineRunner.run(command + ["job-x"])
            #expect(run.status == 64, "\(command)")
            #expect(run.stderr.hasPrefix("Error: The value 'job-x' is invalid for '<job>': write a job id such as job-12 or 12\n"),
                    "\(command): \(run.stderr)")
        }
    }
}
