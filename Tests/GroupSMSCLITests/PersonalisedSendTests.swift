import Foundation
import GroupSMSTestSupport
import GroupSMSXLSX
import Testing

/// Issue 13 end to end on `groupsms-sim`: each number goes with its own values through
/// batchSendDiffSms, the failed-number export keeps them and re-imports, and a rerun resends
/// each number with its own values.
@Suite("personalised messages end to end")
struct PersonalisedSendTests {
    static let text = "Hi ${TXT_10}, your code is ${NUM_6}."
    /// Rows 1 and 2 share their values (one group); numbers ending 03 and 05 get UNDELIV.
    static let rows: [(String, String, String)] = [
        ("+8613900000001", "Ann", "111111"), ("+8613900000002", "Ann", "111111"), ("+8613900000003", "Bo", "222222"),
        ("+8613900000004", "Chen", "333333"), ("+8613900000005", "Dai", "444444"), ("+8613900000006", "Eve", "555555"),
    ]

    private func workbook(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("personal.xlsx")
        try XLSXWriter(sheets: [XLSXSheet(name: "Sheet1", header: ["Phone", "Name", "Code"], rows: Self.rows.map {
            [.text($0.0), .text($0.1), .text($0.2)]
        })]).write(to: path)
        return path
    }

    /// Each logged number with the values the platform rendered for it.
    private func loggedValues(_ path: String) -> [(number: String, values: [String])] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").flatMap { line -> [(number: String, values: [String])] in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let numbers = object["numbers"] as? [String], let paras = object["templateParas"] as? [[String]] else {
                return []
            }
            return Array(zip(numbers, paras)).map { (number: $0.0, values: $0.1) }
        }
    }

    @Test("own values per number, export with the values re-imports, rerun resends each with its own values")
    func personalisedRoundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "cli-personal")
        let log = directory.file("sim.jsonl")
        let simulator = try ChildProcess(executable: "groupsms-sim", arguments: [
            "--listen", "127.0.0.1:0", "--log", log, "--template", "P1=\(Self.text)", "--report-delay", "0.2",
            "--report-status", "03=UNDELIV", "--report-status", "05=UNDELIV", "--no-number-limits",
        ])
        defer { simulator.terminate() }
        let endpoint = try #require(try simulator.waitForLine(containing: "listening on")
            .split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        var environment = JobCLITestKit.demoCredentials
        environment["GROUPSMS_ENDPOINT"] = endpoint
        let data = directory.file("data")
        #expect(try CommandLineRunner.run(["template", "add", "P1", "--text", Self.text, "--signature", "Acme",
                                           "--data-dir", data]).status == 0)
        let book = try workbook(in: directory)
        let send = try CommandLineRunner.run([
            "send", book, "--variables", "columns", "--template", "P1", "--from", "8824110605", "--send-window", "any",
            "--listen", "127.0.0.1:0", "--wait-reports", "20s", "--export-failed", directory.path, "--data-dir", data,
        ], environment: environment)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.contains("Preview     【Acme】Hi Ann, your code is 111111."))
        let sent = loggedValues(log)
        #expect(sent.count == 6, "every number was sent once: \(sent)")
        for (number, name, code) in Self.rows {
            #expect(sent.first { $0.number == number }?.values == [name, code], "\(number) got its own values")
        }
        // The export's first sheet: the header row, then each retryable number with its values.
        let export = directory.file("job-1-failed.xlsx")
        let check = try CommandLineRunner.run(["check", export, "--variables", "columns", "--template", "P1",
                                               "--json", "--data-dir", data])
        #expect(check.status == 0, "\(check.stderr)")
        let imported = try JobCLITestKit.object(check.stdout)
        #expect(imported["numbers"] as? [String] == ["+8613900000003", "+8613900000005"])
        let variables = imported["variables"] as? [String: Any]
        #expect(variables?["header"] as? [String] == ["Name", "Code"])
        #expect(variables?["values"] as? [[String]] == [["Bo", "222222"], ["Dai", "444444"]])
        let csv = try String(contentsOfFile: directory.file("job-1-failed.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("number,Name,Code,class,stage,code,description,time\r\n"))
        #expect(csv.contains("+8613900000003,Bo,222222,retryable,"))
        try rerunSendsOwnValues(data: data, environment: environment, log: log)
    }

    private func rerunSendsOwnValues(data: String, environment: [String: String], log: String) throws {
        let rerun = try CommandLineRunner.run(["rerun", "job-1", "--data-dir", data])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        // An empty jobs folder of its own: the daemon's default is ./Jobs, the repo's samples.
        let jobs = (data as NSString).deletingLastPathComponent + "/jobs"
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        let daemon = try ChildProcess(executable: "groupsms", arguments: ["daemon", "--jobs-dir", jobs, "--data-dir", data],
                                      environment: environment)
        defer { daemon.terminate() }
        var resent: [(number: String, values: [String])] = []
        for _ in 0..<300 where resent.count < 2 {
            resent = Array(loggedValues(log).dropFirst(6))
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(resent.count == 2, "the rerun sent the two retryable numbers (log: \(resent))")
        #expect(resent.first { $0.number == "+8613900000003" }?.values == ["Bo", "222222"])
        #expect(resent.first { $0.number == "+8613900000005" }?.values == ["Dai", "444444"])
    }
}
