import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import GroupSMSXLSX
import Testing

/// Send windows on the command line (SPEC §8, issue 14): options, warnings, `show`, and a run
/// against the simulator in which UK numbers go and mainland numbers wait.
@Suite("send windows: options, warnings, show, and a run on the simulator")
struct SendWindowCLITests {
    static let utc = ["TZ": "UTC"]

    /// `mainland` Chinese mainland and `uk` UK mobile numbers, in turn, in one workbook.
    static func workbook(in directory: TemporaryDirectory, mainland: Int, uk: Int) throws -> (path: String, uk: [String]) {
        let cn = StoreFixtures.numbers(mainland)
        let gb = (0..<uk).map { "+4474001" + String(format: "%05d", $0) }
        var mixed: [String] = []
        for index in 0..<max(mainland, uk) {
            if index < mainland { mixed.append(cn[index]) }
            if index < uk { mixed.append(gb[index]) }
        }
        let path = directory.file("mixed.xlsx")
        try XLSXWriter(sheets: [XLSXSheet.textColumn(name: "Sheet1", header: "Phone", mixed)]).write(to: path)
        return (path, gb)
    }

    /// The next instant after `after` at which the clock in `zoneID` reads `hour`:00.
    static func next(hour: Int, in zoneID: String, after: Date) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zoneID))
        return try #require(calendar.nextDate(after: after, matching: DateComponents(hour: hour, minute: 0, second: 0),
                                              matchingPolicy: .strict))
    }

    @Test("send --at at night in Beijing warns how many numbers wait and when they go; show prints the window")
    func scheduledAtNight() throws {
        let directory = try TemporaryDirectory(prefix: "cli-windows-at")
        let data = directory.file("data")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        let start = try Self.next(hour: 23, in: "Asia/Shanghai", after: Date().addingTimeInterval(600))
        let opening = start.addingTimeInterval(9 * 3600)
        let iso = ISO8601DateFormatter()
        let send = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605",
                                              "--at", iso.string(from: start), "--data-dir", data], environment: Self.utc)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stderr.hasPrefix("groupsms: warning: the start \(iso.string(from: start)) is outside the send window "
                                      + "of 3 of 3 numbers (default: Chinese mainland numbers 08:00-22:00 Beijing time "
                                      + "(Asia/Shanghai), other numbers at any hour); they are postponed, not dropped, "
                                      + "and go at \(iso.string(from: opening))\n"), "\(send.stderr)")
        let show = try CommandLineRunner.run(["show", "job-1", "--data-dir", data], environment: Self.utc)
        #expect(show.stdout.contains("\n  send window default: Chinese mainland numbers 08:00-22:00 Beijing time "
                                     + "(Asia/Shanghai), other numbers at any hour\n"), "\(show.stdout)")
        let any = try CommandLineRunner.run(["send", book, "--template", "t", "--from", "8824110605", "--at",
                                             iso.string(from: start), "--send-window", "any",
                                             "--send-by", iso.string(from: opening), "--json", "--data-dir", data],
                                            environment: Self.utc)
        #expect(any.status == 0 && !any.stderr.contains("warning"), "\(any.stderr)")
        let job = try JobCLITestKit.object(any.stdout)
        #expect(job["sendWindow"] as? String == "any" && job["sendBy"] as? String == iso.string(from: opening))
        #expect(job["deferredByReason"] as? [String: Int] == [:])
    }

    @Test("a window that is not one, and a deadline before the start, are usage errors that say what to write")
    func refusals() throws {
        let directory = try TemporaryDirectory(prefix: "cli-windows-refused")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        let base = ["send", book, "--template", "t", "--from", "8824110605", "--data-dir", directory.file("data")]
        let hour = try CommandLineRunner.run(base + ["--send-window", "25:00-08:00"])
        #expect(hour.status == 64)
        #expect(hour.stderr.hasPrefix("Error: The value '25:00-08:00' is invalid for '--send-window <window|default|any>': "
                                      + "--send-window \"25:00-08:00\": hours must be 00-23 (the start hour is 25); "
                                      + "write HH:MM-HH:MM"), "\(hour.stderr)")
        let deadline = try CommandLineRunner.run(base + ["--at", "+2h", "--send-by", "+1h"])
        #expect(deadline.status == 64 && deadline.stderr.contains("--send-by must be after the start"), "\(deadline.stderr)")
        #expect(try CommandLineRunner.run(["jobs", "--json", "--data-dir", directory.file("data")]).stdout.contains("[]"))
    }

    @Test("on the simulator: UK numbers inside their window are sent, mainland ones outside it postponed, none dropped")
    func ukSentMainlandPostponed() async throws {
        let directory = try TemporaryDirectory(prefix: "cli-windows-run")
        let data = directory.file("data")
        let log = directory.file("sim.jsonl")
        let (book, uk) = try Self.workbook(in: directory, mainland: 30, uk: 30)
        // A three-hour window around the hour in London: Beijing is eight hours ahead, outside it.
        var london = Calendar(identifier: .gregorian)
        london.timeZone = try #require(TimeZone(identifier: "Europe/London"))
        let hour = london.component(.hour, from: Date())
        let window = String(format: "%02d:00-%02d:00", (hour + 23) % 24, (hour + 2) % 24)
        let simulator = try ChildProcess(executable: "groupsms-sim", arguments: [
            "--listen", "127.0.0.1:0", "--log", log, "--no-reports", "--no-number-limits"])
        defer { simulator.terminate() }
        let endpoint = try #require(try simulator.waitForLine(containing: "listening on")
            .split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        var environment = JobCLITestKit.demoCredentials
        environment["GROUPSMS_ENDPOINT"] = endpoint
        environment["TZ"] = "UTC"
        let sender = try ChildProcess(executable: "groupsms", arguments: [
            "send", book, "--template", "tmpl0001", "--from", "8824110605", "--param", "1", "--send-window", window,
            "--data-dir", data,
        ], environment: environment, captureStandardError: true)
        defer { sender.terminate() }
        let store = try JobStore(dataDirectory: data, clock: SystemWallClock())
        let job = try #require(JobID(parsing: "job-1"))
        var settled = false
        for _ in 0..<3_000 where !settled {
            let summary = try? await store.summary(of: job)
            settled = summary?.count(.accepted) == 30 && summary?.deferredByReason["SEND_WINDOW"] == 30
            if !settled { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        #expect(settled, "UK numbers accepted and mainland numbers postponed: \(sender.standardError)")
        sender.interrupt()
        #expect(try sender.waitForExit(seconds: 30) == 130)
        let opening = try Self.next(hour: (hour + 23) % 24, in: "Asia/Shanghai", after: Date().addingTimeInterval(-60))
        let iso = ISO8601DateFormatter()
        let stderr = sender.standardError
        #expect(stderr.contains("is outside the send window of 30 of 60 numbers (\(window) in each number's local time)"),
                "\(stderr)")
        #expect(stderr.contains("sent (50.0%)") && stderr.contains("postponed 30 (send window) until \(iso.string(from: opening))"),
                "\(stderr)")
        let shown = try JobCLITestKit.object(try CommandLineRunner.run(["show", "job-1", "--json", "--data-dir", data]).stdout)
        #expect(shown["state"] as? String == "paused" && shown["total"] as? Int == 60)
        #expect(shown["accepted"] as? Int == 30 && shown["deferred"] as? Int == 30)
        #expect(shown["deferredByReason"] as? [String: Int] == ["SEND_WINDOW": 30])
        #expect(shown["sendWindow"] as? String == window && shown["nextDeferredAt"] as? String == iso.string(from: opening))
        let text = try CommandLineRunner.run(["show", "job-1", "--data-dir", data], environment: Self.utc).stdout
        #expect(text.contains("  deferred by reason: SEND_WINDOW 30 (next at \(iso.string(from: opening)))"), "\(text)")
        #expect(text.contains("  30 numbers are postponed to their send window (not dropped); the next go at "
                              + iso.string(from: opening)), "\(text)")
        let received = CrashResumeTests.requests(in: log).flatMap { $0 }
        #expect(received.sorted() == uk.sorted(), "only the UK numbers reached the platform, each once")
    }
}
