import Foundation
@testable import groupsms
import GroupSMSJobs
import GroupSMSModel
import GroupSMSTestSupport
import Testing

/// The progress line counts only what the platform took and shows a rate that the pacer's
/// windows bound (issue 11, item 6).
@Suite("progress line: what was sent, and the windowed rate")
struct ProgressLineTests {
    @Test("a run stopped by an authentication failure reads 0/10 sent, 10 not sent")
    func authFailureLine() {
        var progress = JobProgress(jobID: JobID(3), total: 10)
        progress.notSent = 10
        progress.eta = 0
        #expect(ProgressPrinter.line(progress) == "job-3: 0/10 sent (0.0%)  failed 0  deferred 0  not sent 10  0/s  ETA 0s")
        progress = JobProgress(jobID: JobID(3), total: 50_000)
        progress.accepted = 1_498
        progress.failed = 2
        progress.unconfirmed = 5
        progress.rate = 200
        progress.eta = 97
        #expect(ProgressPrinter.line(progress)
                == "job-3: 1498/50000 sent (3.0%)  failed 2  deferred 0  unconfirmed 5  200/s  ETA 1m37s")
    }

    @Test("the rate of a run paced at 200/s in one-second steps never shows more than 200/s")
    func windowedRateHoldsTheWindow() {
        let start = Date(timeIntervalSince1970: 1_796_083_200)
        // A chunk of 200 numbers at the start of every second, looked at every 50 ms for 12 s
        // (between the starts: a ratio over the span since the first start showed up to 381/s).
        let starts = (0..<12).map { (start.addingTimeInterval(Double($0)), 200) }
        var shown: [Double] = []
        for step in 0..<240 {
            let now = start.addingTimeInterval(Double(step) * 0.05 + 0.025)
            let recent = starts.filter { $0.0 <= now && now.timeIntervalSince($0.0) <= 10 }
            shown.append(JobProgress.windowedRate(starts: recent, now: now))
        }
        #expect(shown.allSatisfy { $0 == 200 }, "\(shown.filter { $0 != 200 })")
        #expect(JobProgress.windowedRate(starts: [], now: start) == 0)
    }

    @Test("after an authentication failure the final progress line says nothing was sent")
    func authFailureRun() throws {
        let directory = try TemporaryDirectory(prefix: "cli-auth")
        let book = try JobCLITestKit.workbook(in: directory, count: 10)
        let simulator = try ChildProcess(executable: "groupsms-sim", arguments: ["--listen", "127.0.0.1:0", "--no-reports"])
        defer { simulator.terminate() }
        let endpoint = try #require(try simulator.waitForLine(containing: "listening on")
            .split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        let send = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605", "--send-window", "any",
                                              "--endpoint", endpoint, "--data-dir", directory.file("data")],
                                             environment: ["GROUPSMS_APP_KEY": "someOtherAppKey01",
                                                           "GROUPSMS_APP_SECRET": "not-the-secret"])
        #expect(send.status == 1)
        let progress = send.stderr.split(separator: "\n").filter { $0.hasPrefix("job-1: ") }
        #expect(progress.last?.hasPrefix("job-1: 0/10 sent (0.0%)  failed 0  deferred 0  not sent 10  ") == true,
                "\(send.stderr)")
    }
}
