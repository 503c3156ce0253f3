import Foundation
import GroupSMSTestSupport
import Testing

/// SPEC §4: the 500/s cap belongs to the account, not the process. Two `groupsms send`
/// processes on one data dir and one account share the budget kept in the store, judged on
/// the platform's own receive log.
@Suite("two processes, one account pace")
struct SharedPaceTests {
    @Test("two senders on one data dir never put more than 500 numbers in a second of the platform's log")
    func twoProcessesShareTheAccountPace() throws {
        let directory = try TemporaryDirectory(prefix: "cli-pace")
        let data = directory.file("data")
        let log = directory.file("sim.jsonl")
        let simulator = try ChildProcess(executable: "groupsms-sim", arguments: [
            "--listen", "127.0.0.1:0", "--log", log, "--latency-ms", "20-80", "--no-reports", "--no-number-limits",
        ])
        defer { simulator.terminate() }
        let endpoint = try #require(try simulator.waitForLine(containing: "listening on")
            .split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        var environment = JobCLITestKit.demoCredentials
        environment["GROUPSMS_ENDPOINT"] = endpoint
        let senders = try (0..<2).map { block in
            let book = try JobCLITestKit.workbook(in: directory, count: 1_500, name: "r\(block).xlsx", block: block)
            return try ChildProcess(executable: "groupsms", arguments: [
                "send", book, "--template", "tmpl0001", "--from", "8824110605", "--param", "\(block)", "--send-window", "any",
                "--data-dir", data,
            ], environment: environment)
        }
        for sender in senders { #expect(try sender.waitForExit(seconds: 90) == 0) }
        let receipts = CrashResumeTests.receipts(in: log)
        #expect(receipts.reduce(0) { $0 + $1.count } == 3_000, "every number accepted once")
        #expect(busiestWindow(receipts) <= 500, "the account cap held across both processes: \(receipts)")
    }
}
