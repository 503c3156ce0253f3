import Foundation
import GroupSMSTestSupport
import Testing

/// `export-failed`, `rerun` and `suppress` run as the built binary against a real data dir.
@Suite struct DeliveryCommandTests {
    let folder: TemporaryDirectory
    let fixture: DeliveryCLIFixture

    init() async throws {
        folder = try TemporaryDirectory(prefix: "delivery-cli")
        fixture = try await DeliveryCLIFixture.make(in: folder.path + "/data")
    }

    private func run(_ arguments: [String]) throws -> CommandLineRun {
        try CommandLineRunner.run(arguments + ["--data-dir", fixture.dataDirectory])
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func exportFailedWritesBothFilesAndPrintsTheBreakdown() throws {
        let out = folder.path + "/out"
        let run = try run(["export-failed", fixture.jobID, "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == """
            job-1 "cli": 5 numbers did not get through (2 retryable)
            By class:
              retryable    2
              opted-out    1
              unconfirmed  1
              invalid      1
            By code:
              BLACK           1
              E200041         1
              INVALID_NUMBER  1
              UNCONFIRMED     1
              UNDELIV         1
            Retryable numbers (sheet 1; re-import or upload to the console): \(out)/job-1-failed.xlsx
            Every failed number with details: \(out)/job-1-failed.csv

            """)
        let csv = try String(contentsOfFile: "\(out)/job-1-failed.csv", encoding: .utf8)
        #expect(csv.hasPrefix("number,class,stage,code,description,time\r\n\(fixture.numbers[1]),retryable,delivery,UNDELIV,"))
        #expect(csv.components(separatedBy: "\r\n").count == 7, "header, five rows, final CRLF")
        let check = try CommandLineRunner.run(["check", "\(out)/job-1-failed.xlsx", "--json"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(try json(check.stdout)["numbers"] as? [String] == [fixture.numbers[1], fixture.numbers[3]])
    }

    @Test func exportFailedJSONHasTheCountsAndPaths() throws {
        let run = try run(["export-failed", "1", "--out", folder.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try json(run.stdout)
        #expect(object["job"] as? String == "job-1" && object["failed"] as? Int == 5 && object["retryable"] as? Int == 2)
        #expect(object["byClass"] as? [String: Int] == ["retryable": 2, "opted-out": 1, "unconfirmed": 1, "invalid": 1])
        #expect(object["byCode"] as? [String: Int] == ["BLACK": 1, "E200041": 1, "INVALID_NUMBER": 1, "UNCONFIRMED": 1,
                                                       "UNDELIV": 1])
        #expect(object["xlsx"] as? String == "\(folder.path)/job-1-failed.xlsx")
        #expect(FileManager.default.fileExists(atPath: "\(folder.path)/job-1-failed.csv"))
    }

    @Test func exportFailedRefusesAnUnknownJobAndABadID() throws {
        let missing = try run(["export-failed", "job-9", "--out", folder.path])
        #expect(missing.status == 1 && missing.stdout.isEmpty)
        #expect(missing.stderr == "groupsms: no job job-9 in this data dir; `groupsms jobs` lists the jobs\n")
        let bad = try run(["export-failed", "nine"])
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix("Error: The value 'nine' is invalid for '<job>': write a job id such as job-12 or 12\n"))
        #expect(try run(["export-failed", "--help"]).status == 0)
    }

    @Test func rerunCreatesALinkedJobWithTheRetryableNumbers() throws {
        // A whole second 30 days ahead: a start in the past is refused.
        let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(30 * 86_400))
        let run = try run(["rerun", fixture.jobID, "--at", start])
        #expect(run.status == 0, "\(run.stderr)")
        // The rerun is checked and estimated like any job; tmpl-1 is not in the catalogue.
        #expect(run.stdout == """
            Created job-2 "cli rerun", a rerun of job-1: 2 numbers (2 retryable).
            Starts \(start).
            Estimate
              Numbers     2 to send (0 invalid, 0 duplicates, 0 suppressed)
              Template    not checked
                          note: template tmpl-1 is not in the local catalogue, so its text and parameters were not \
            checked and each number is counted as 1 segment, a lower bound; add it with \
            `groupsms template add tmpl-1 --text TEXT` to check and count it
              Preview     (unknown)
              Encoding    (unknown)
              Segments    2 in all, 1 per message
                CN        2 numbers, 2 segments
              Cost        not estimated: no price table (give --prices FILE or put prices.csv in the data dir)

            """)
        let second = try self.run(["rerun", fixture.jobID, "--include-unconfirmed", "--name", "again", "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        let object = try json(second.stdout)
        #expect(object["id"] as? String == "job-3" && object["name"] as? String == "again")
        #expect(object["rerunOf"] as? String == "job-1" && object["state"] as? String == "scheduled")
        #expect(object["total"] as? Int == 3 && object["pending"] as? Int == 3 && object["template"] as? String == "tmpl-1")
    }

    @Test func rerunSkipsSuppressedNumbersAndRefusesBadInput() throws {
        #expect(try run(["suppress", "add", fixture.numbers[1]]).status == 0)
        let run = try run(["rerun", fixture.jobID])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("""
            Created job-2 "cli rerun", a rerun of job-1: 2 numbers (2 retryable).
            1 of them is on the suppression list and will not be sent: \(fixture.numbers[1])
            Starts 
            """))
        let late = try self.run(["rerun", "job-7"])
        #expect(late.status == 1 && late.stderr.contains("no job job-7"))
        let badTime = try self.run(["rerun", fixture.jobID, "--at", "tomorrow"])
        #expect(badTime.status == 64 && badTime.stderr.contains("The value 'tomorrow' is invalid for '--at <time>'"))
        let stale = try self.run(["rerun", fixture.jobID, "--at", "2020-01-01T00:00:00Z"])
        #expect(stale.status == 1 && stale.stderr.contains("more than a minute in the past"))
        #expect(try self.run(["rerun"]).status == 64)
    }

    @Test func suppressListShowsTheOptedOutNumberExactly() throws {
        let run = try run(["suppress", "list"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == """
            NUMBER          CODE   ADDED                 JOB    REASON
            \(fixture.numbers[2])  BLACK  2026-12-01T00:00:00Z  job-1  status report BLACK: the recipient or a blocklist refuses messages; not resent
            1 number on the suppression list.

            """)
        let json = try json(try self.run(["suppress", "list", "--json"]).stdout)
        let entries = try #require(json["numbers"] as? [[String: Any]])
        #expect(entries.count == 1 && entries[0]["number"] as? String == fixture.numbers[2])
        #expect(entries[0]["code"] as? String == "BLACK" && entries[0]["sourceJob"] as? String == "job-1")
        #expect(entries[0]["addedAt"] as? String == "2026-12-01T00:00:00Z")
    }

    @Test func suppressAddAndRemoveNormaliseNumbers() throws {
        let add = try run(["suppress", "add", "131 1234 5678", "+86 131-1234-5678", "+44 7400 123456", fixture.numbers[2]])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "Added 2 numbers to the suppression list. 1 was already on it.\n")
        let gb = try run(["suppress", "add", "07400 123457", "--default-country", "GB", "--reason", "asked us by phone"])
        #expect(gb.stdout == "Added 1 number to the suppression list.\n")
        let list = try run(["suppress", "list"]).stdout.split(separator: "\n").map(String.init)
        #expect(list.count == 6 && list.last == "4 numbers on the suppression list.")
        #expect(list[1].hasPrefix("+447400123456   MANUAL ") && list[1].hasSuffix("  -      added by hand"))
        #expect(list[2].hasPrefix("+447400123457   MANUAL ") && list[2].hasSuffix("asked us by phone"))
        #expect(list[3].hasPrefix("+8613112345678  MANUAL "))
        let remove = try run(["suppress", "remove", "13112345678", "+447400123999"])
        #expect(remove.status == 0)
        #expect(remove.stdout == "Removed 1 number from the suppression list. Not on it: +447400123999.\n")
    }

    @Test func suppressRefusesInvalidNumbersAndChangesNothing() throws {
        let run = try run(["suppress", "add", "13112345678", "12ab"])
        #expect(run.status == 1 && run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("groupsms: '12ab' is not a valid phone number ("))
        #expect(run.stderr.hasSuffix("); the suppression list was not changed\n"))
        #expect(try self.run(["suppress", "list"]).stdout.hasSuffix("1 number on the suppression list.\n"))
        #expect(try self.run(["suppress", "add"]).status == 64)
        #expect(try self.run(["suppress", "add", "1", "--default-country", "XX"]).status == 64)
        #expect(try self.run(["suppress", "frob"]).status == 64)
    }

    @Test func anEmptyDataDirHasAnEmptyList() throws {
        let run = try CommandLineRunner.run(["suppress", "list", "--data-dir", folder.path + "/empty"])
        #expect(run.status == 0 && run.stdout == "The suppression list is empty.\n")
    }
}
