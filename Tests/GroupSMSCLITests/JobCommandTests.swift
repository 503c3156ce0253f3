import Foundation
import GroupSMSTestSupport
import Testing

@Suite("job commands: --json shapes, refusals, credentials")
struct JobCommandTests {
    @Test("send --simulate --json, submit --json, jobs --json and show --json print the job object")
    func jsonShapes() throws {
        let directory = try TemporaryDirectory(prefix: "cli-json")
        let data = directory.file("data")
        let book = try JobCLITestKit.workbook(in: directory, count: 120)
        let send = try CommandLineRunner.run(["send", book, "--template", "tmpl0001", "--from", "8824110605",
                                              "--param", "1", "--simulate", "--send-window", "any", "--json",
                                              "--data-dir", data])
        #expect(send.status == 0, "\(send.stderr)")
        let sent = try JobCLITestKit.object(send.stdout)
        #expect(JobCLITestKit.showKeys.isSubset(of: Set(sent.keys)))
        #expect(sent["state"] as? String == "finished")
        #expect(sent["total"] as? Int == 120)
        // --simulate waits for the status reports, whose seeded mix fails about a fifth.
        let settled = ["accepted", "delivered", "failed"].compactMap { sent[$0] as? Int }.reduce(0, +)
        #expect(settled == 120)
        #expect((sent["delivered"] as? Int ?? 0) > 0 && (sent["failed"] as? Int ?? 0) > 0)
        let optedOut = (sent["failuresByClass"] as? [String: Int])?["opted-out"] ?? 0

        try """
            name: Later
            recipients: recipients.xlsx
            template: tmpl0002
            params: ["x"]
            from: "8824110605"
            at: "+2h"
            """.write(toFile: directory.file("later.yaml"), atomically: true, encoding: .utf8)
        let submit = try CommandLineRunner.run(["submit", directory.file("later.yaml"), "--json", "--data-dir", data])
        #expect(submit.status == 0, "\(submit.stderr)")
        let submitted = try #require(try JobCLITestKit.object(submit.stdout)["jobs"] as? [[String: Any]])
        #expect(submitted.count == 1)
        #expect(submitted.first?["state"] as? String == "scheduled")
        // Opted-out numbers of the first job are on the suppression list now and are skipped.
        #expect(submitted.first?["pending"] as? Int == 120 - optedOut)
        #expect((submitted.first?["failuresByReason"] as? [String: Int])?["SUPPRESSED"] ?? 0 == optedOut)

        let jobs = try CommandLineRunner.run(["jobs", "--json", "--data-dir", data])
        let listed = try #require(try JobCLITestKit.object(jobs.stdout)["jobs"] as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == ["job-1", "job-2"])
        for job in listed { #expect(JobCLITestKit.showKeys.isSubset(of: Set(job.keys))) }

        let show = try CommandLineRunner.run(["show", "job-2", "--json", "--data-dir", data])
        let shown = try JobCLITestKit.object(show.stdout)
        #expect(JobCLITestKit.showKeys.isSubset(of: Set(shown.keys)))
        #expect(shown["name"] as? String == "Later" && shown["startedAt"] is NSNull)
    }

    @Test("cancel and reschedule are refused inside the 5-minute window (exit 1, the rule named)")
    func windowRefusals() throws {
        let directory = try TemporaryDirectory(prefix: "cli-window")
        let data = directory.file("data")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        for at in ["+2m", "+1h"] {
            let send = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605",
                                                  "--at", at, "--data-dir", data])
            #expect(send.status == 0, "\(send.stderr)")
        }
        let cancel = try CommandLineRunner.run(["cancel", "job-1", "--data-dir", data])
        #expect(cancel.status == 1)
        #expect(cancel.stderr.contains("5 minutes before it starts") && cancel.stderr.contains("job-1"))
        let reschedule = try CommandLineRunner.run(["reschedule", "job-1", "--at", "+3h", "--data-dir", data])
        #expect(reschedule.status == 1)
        #expect(reschedule.stderr.contains("5-minute rule"))
        let moved = try CommandLineRunner.run(["reschedule", "job-2", "--at", "+3h", "--data-dir", data])
        #expect(moved.status == 0, "\(moved.stderr)")
        let cancelled = try CommandLineRunner.run(["cancel", "job-2", "--data-dir", data])
        #expect(cancelled.status == 0 && cancelled.stdout.contains("cancelled"))
        let unknown = try CommandLineRunner.run(["show", "job-99", "--data-dir", data])
        #expect(unknown.status == 1)
        let usage = try CommandLineRunner.run(["cancel", "nonsense", "--data-dir", data])
        #expect(usage.status == 64)
    }

    @Test("a credentials file readable by others is refused, the secret never printed, no job created")
    func credentialsFileMode() throws {
        let directory = try TemporaryDirectory(prefix: "cli-creds")
        let data = directory.file("data")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        let file = directory.file("creds")
        try "app_key=someKey\napp_secret=TopSecretValue123\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let run = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605",
                                             "--credentials", file, "--endpoint", "http://127.0.0.1:9",
                                             "--data-dir", data])
        #expect(run.status == 1)
        #expect(run.stderr.contains("chmod 600") && run.stderr.contains("644"))
        #expect(!run.stderr.contains("TopSecretValue123") && !run.stdout.contains("TopSecretValue123"))
        let jobs = try CommandLineRunner.run(["jobs", "--json", "--data-dir", data])
        #expect((try JobCLITestKit.object(jobs.stdout)["jobs"] as? [Any])?.isEmpty == true)
    }
}
