import Foundation
import GroupSMSTestSupport
import Testing

/// `--at` and a job file's `at`: stale starts are refused, and what `send --at` says about
/// cancelling is true (issue 11, item 2).
@Suite("start times: stale starts refused, the cancel window told truly")
struct ScheduleCLITests {
    /// Times in messages are in the local zone; UTC makes them exact.
    static let utc = ["TZ": "UTC"]

    /// A whole second `offset` seconds from now, as `--at` takes it.
    static func at(_ offset: TimeInterval) -> (text: String, date: Date) {
        let date = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + offset).rounded(.down))
        return (ISO8601DateFormatter().string(from: date), date)
    }

    @Test("send --at a year-old time exits 1, creates no job and says to leave `at` out to send now")
    func staleSendAt() throws {
        let directory = try TemporaryDirectory(prefix: "cli-stale")
        let data = directory.file("data")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        let send = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605",
                                              "--at", "2020-01-01T00:00:00Z", "--data-dir", data], environment: Self.utc)
        #expect(send.status == 1)
        #expect(send.stdout.isEmpty)
        #expect(send.stderr.hasPrefix("groupsms: the start time 2020-01-01T00:00:00Z is more than a minute in the past (now 20"))
        #expect(send.stderr.hasSuffix("); to send now, leave `at` out; to schedule, give a future time "
                                      + "or a relative one such as +10m\n"))
        let jobs = try CommandLineRunner.run(["jobs", "--json", "--data-dir", data])
        #expect((try JobCLITestKit.object(jobs.stdout)["jobs"] as? [Any])?.isEmpty == true)
        let unreadable = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605",
                                                    "--at", "tomorrow", "--data-dir", data])
        #expect(unreadable.status == 64, "a bad option value is a usage error")
        #expect(unreadable.stderr.hasPrefix("Error: The value 'tomorrow' is invalid for '--at <time>': cannot read the time"))
    }

    @Test("send --at inside the 5-minute window says it can no longer be cancelled, and from when")
    func windowNote() throws {
        let directory = try TemporaryDirectory(prefix: "cli-window-note")
        let data = directory.file("data")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        let soon = Self.at(120)
        let later = Self.at(3600)
        let iso = ISO8601DateFormatter()
        let inside = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605",
                                                "--at", soon.text, "--send-window", "any", "--data-dir", data],
                                               environment: Self.utc)
        #expect(inside.status == 0, "\(inside.stderr)")
        #expect(inside.stderr == "groupsms: job-1 'recipients' is scheduled for \(soon.text); `groupsms daemon` starts it. "
                + "It can no longer be cancelled or rescheduled: that ended at "
                + "\(iso.string(from: soon.date.addingTimeInterval(-300))), 5 minutes before it starts (FAQ 9.4). "
                + "Once it runs, `groupsms pause job-1` stops its unsent part.\n")
        let outside = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605",
                                                 "--at", later.text, "--send-window", "any", "--data-dir", data],
                                               environment: Self.utc)
        #expect(outside.stderr == "groupsms: job-2 'recipients' is scheduled for \(later.text); `groupsms daemon` starts it. "
                + "Cancel or reschedule until \(iso.string(from: later.date.addingTimeInterval(-300))) "
                + "(5 minutes before it starts).\n")
        #expect(try CommandLineRunner.run(["cancel", "job-1", "--data-dir", data]).status == 1)
        #expect(try CommandLineRunner.run(["cancel", "job-2", "--data-dir", data]).status == 0)
    }

    @Test("submit refuses a job file whose `at` is a year old, naming the file and the key")
    func staleJobFile() throws {
        let directory = try TemporaryDirectory(prefix: "cli-stale-file")
        _ = try JobCLITestKit.workbook(in: directory, count: 3)
        let file = directory.file("old.yaml")
        let lastYear = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-365 * 86_400))
        try "recipients: recipients.xlsx\ntemplate: t\nfrom: \"8824110605\"\nat: \(lastYear)\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let submit = try CommandLineRunner.run(["submit", file, "--data-dir", directory.file("data")],
                                               environment: Self.utc)
        #expect(submit.status == 1)
        #expect(submit.stderr.hasPrefix("groupsms: \(file):4: key 'at': the start time \(lastYear) is more than a minute "
                                        + "in the past"))
        #expect(submit.stderr.contains("to send now, leave `at` out"))
    }
}
