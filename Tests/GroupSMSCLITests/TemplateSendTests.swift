import Foundation
import GroupSMSTestSupport
import Testing

/// Issue 12 end to end: the catalogue check stops a wrong parameter before any request, and a
/// correct job's estimate counts the segments the platform (the simulator's own counter) counts.
@Suite("templates end to end on the simulator")
struct TemplateSendTests {
    static let text = "Maintenance on ${TXT_20}, ${NUM_4}: service may be interrupted – sorry."

    private struct Platform {
        let simulator: ChildProcess
        let log: String
        let environment: [String: String]
    }

    /// `groupsms-sim` holding the template, logging every request with its counted segments.
    private func startPlatform(in directory: TemporaryDirectory) throws -> Platform {
        let log = directory.file("sim.jsonl")
        let simulator = try ChildProcess(executable: "groupsms-sim", arguments: [
            "--listen", "127.0.0.1:0", "--log", log, "--no-reports", "--template", "T1=\(Self.text)",
        ])
        let endpoint = try #require(try simulator.waitForLine(containing: "listening on")
            .split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        var environment = JobCLITestKit.demoCredentials
        environment["GROUPSMS_ENDPOINT"] = endpoint
        return Platform(simulator: simulator, log: log, environment: environment)
    }

    /// A data dir whose catalogue holds T1 with signature Acme, and the mixed recipient workbook.
    private func catalogueAndWorkbook(in directory: TemporaryDirectory) throws -> (data: String, book: String) {
        let data = directory.file("data")
        let added = try CommandLineRunner.run(["template", "add", "T1", "--text", Self.text, "--signature", "Acme",
                                               "--data-dir", data])
        #expect(added.status == 0, "\(added.stderr)")
        return (data, try TemplateCLITests.mixedWorkbook(in: directory))
    }

    private func logLines(_ path: String) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("a parameter that does not fit is refused with exit 1, no job is stored and the platform sees no request")
    func wrongParameterSendsNothing() throws {
        let directory = try TemporaryDirectory(prefix: "cli-template-send")
        let platform = try startPlatform(in: directory)
        defer { platform.simulator.terminate() }
        let (data, book) = try catalogueAndWorkbook(in: directory)
        let send = try CommandLineRunner.run([
            "send", book, "--template", "T1", "--from", "8824110605", "--param", "Sunday", "--param", "12345",
            "--send-window", "any", "--data-dir", data,
        ], environment: platform.environment)
        #expect(send.status == 1)
        #expect(send.stderr.hasSuffix("groupsms: parameter 2 \"12345\" does not fit ${NUM_4}: at most 4 digits\n"),
                "\(send.stderr)")
        let jobs = try JobCLITestKit.object(try CommandLineRunner.run(["jobs", "--json", "--data-dir", data]).stdout)
        #expect((jobs["jobs"] as? [Any])?.isEmpty == true)
        #expect(logLines(platform.log).isEmpty, "the platform received no request")
    }

    @Test("a correct job's estimated segments equal the segments the simulator counted, number by number")
    func estimateMatchesThePlatformsCount() throws {
        let directory = try TemporaryDirectory(prefix: "cli-template-send")
        let platform = try startPlatform(in: directory)
        defer { platform.simulator.terminate() }
        let (data, book) = try catalogueAndWorkbook(in: directory)
        let send = try CommandLineRunner.run([
            "send", book, "--template", "T1", "--from", "8824110605", "--param", "Sunday 6 December", "--param", "0200",
            "--send-window", "any", "--data-dir", data, "--json",
        ], environment: platform.environment)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stderr.contains("Estimate\n  Numbers     3 to send (1 invalid, 1 duplicate, 0 suppressed)"))
        let summary = try JobCLITestKit.object(send.stdout)
        let estimate = try #require(summary["estimate"] as? [String: Any])
        let counted = logLines(platform.log).flatMap { ($0["segments"] as? [Int]) ?? [] }
        #expect(counted.count == 3, "every number's text was counted by the platform")
        #expect(estimate["segments"] as? Int == counted.reduce(0, +))
        // UCS-2 (the en dash) for GB and the signature on the mainland: 2 segments each.
        #expect(estimate["segments"] as? Int == 6)
        let encodings = logLines(platform.log).flatMap { ($0["encodings"] as? [String]) ?? [] }
        #expect(Set(encodings) == ["mainland", "UCS-2"])
        let show = try JobCLITestKit.object(try CommandLineRunner.run(["show", "job-1", "--json", "--data-dir", data]).stdout)
        #expect((show["estimate"] as? [String: Any])?["segments"] as? Int == 6, "show repeats the stored estimate")
    }
}
