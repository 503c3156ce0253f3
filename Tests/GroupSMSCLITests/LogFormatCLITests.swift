import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSPlatform

/// `send --log-format json`: the run's events as one JSON object a line on standard error, the
/// summary untouched on standard output, and no secret anywhere.
@Suite struct LogFormatCLITests {
    @Test func jsonEventsCarryJobChunkAndMessageIdsAndNoSecret() throws {
        let directory = try TemporaryDirectory(prefix: "cli-logjson")
        let book = try JobCLITestKit.workbook(in: directory, count: 30)
        let pgPassword = "Pg-Hunter2-\(UUID().uuidString.prefix(8))"
        let run = try CommandLineRunner.run([
            "send", book, "--template", "tmpl0001", "--from", "8824110605", "--param", "1", "--simulate", "--send-window", "any",
            "--log-format", "json", "--log-level", "debug", "--data-dir", directory.file("data"),
        ], environment: ["PGPASSWORD": pgPassword])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("finished"), "the text summary stays on standard output: \(run.stdout)")
        let events = try run.stderr.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
        }
        let names = Set(events.compactMap { $0["event"] })
        #expect(names.isSuperset(of: ["job.run.started", "chunk.settled", "number.accepted", "report.received",
                                      "job.run.ended"]), "\(names)")
        let settled = events.filter { $0["event"] == "chunk.settled" }
        #expect(settled.allSatisfy { $0["job"] == "job-1" && $0["chunk"] != nil && $0["outcome"] == "answered" })
        let accepted = events.filter { $0["event"] == "number.accepted" }
        #expect(accepted.count == 30 && accepted.allSatisfy { $0["smsMsgId"]?.isEmpty == false && $0["chunk"] != nil })
        let reported = Set(events.filter { $0["event"] == "report.received" }.compactMap { $0["smsMsgId"] })
        #expect(reported == Set(accepted.compactMap { $0["smsMsgId"] }))
        #expect(!run.stderr.contains("\r"), "no progress line in JSON mode")
        #expect(events.contains { $0["event"] == "notice" && $0["message"]?.contains("waiting up to") == true },
                "the command's notices are JSON lines too")
        let demo = PlatformCredentials.simulatorDemo
        for secret in [demo.appKey, demo.appSecret, pgPassword] {
            #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret), "\(secret) was written")
        }
        #expect(!events.contains { $0.keys.contains { $0.lowercased().contains("number") && $0 != "numbers" } },
                "no phone number field")
    }

    @Test func aWrongLogLevelIsRefusedByName() throws {
        let run = try CommandLineRunner.run(["daemon", "--log-level", "loud"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--log-level"), "\(run.stderr)")
    }
}
