import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSSimulator
@testable import groupsms_sim

/// `groupsms-sim`'s options: each new one reaches the configuration, and bad values are
/// refused with a message naming the option (exit 64 from the real binary).
@Suite("groupsms-sim options")
struct SimulatorCommandLineTests {
    private func configuration(_ arguments: [String]) throws -> SimulatorConfiguration {
        try GroupSMSSim.parse(arguments).makeConfiguration()
    }

    @Test func faultOptionsReachTheConfiguration() throws {
        let c = try configuration([
            "--accept-then-502-fraction", "0.25", "--accept-then-gateway-body-fraction", "0.5",
            "--unknown-code-fraction", "1", "--unknown-code", "E123456", "--whole-request-status", "E200031",
            "--whole-request-fraction", "0.75", "--fault-first", "3",
        ])
        #expect(c.acceptThen502Fraction == 0.25 && c.acceptThenGatewayBodyFraction == 0.5)
        #expect(c.unknownCodeFraction == 1 && c.unknownCode == "E123456")
        #expect(c.wholeRequestStatus == "E200031" && c.wholeRequestFraction == 0.75 && c.faultFirstRequests == 3)
    }

    @Test func reportOptionsReachTheConfiguration() throws {
        let c = try configuration([
            "--console-callback", "http://127.0.0.1:9/batch", "--report-segments", "3", "--report-failing-part", "2=UNDELIV",
            "--report-status", "77=MN:000123", "--report-batch-size", "20",
        ])
        #expect(c.reports.consoleCallbackURL == "http://127.0.0.1:9/batch")
        #expect(c.reports.segmentsPerMessage == 3)
        #expect(c.reports.failingPart == SimulatorFailingPart(sequence: 2, status: "UNDELIV"))
        #expect(c.reports.statusBySuffix == ["77": "MN:000123"])
        #expect(c.reports.batchSize == 20)
        #expect(try configuration(["--report-segments", "counted"]).reports.segmentsPerMessage == nil)
        #expect(try configuration([]).reports.segmentsPerMessage == 1)
    }

    @Test func templatesComeFromOptionsAndAFile() throws {
        let folder = try TemporaryDirectory(prefix: "sim-templates")
        let file = folder.file("templates.txt")
        try "# approved\nparcel=Parcel ${NUM_4} arrives ${DATE}.\n".write(toFile: file, atomically: true, encoding: .utf8)
        let c = try configuration(["--template", "code01=Your code is ${NUM_6}.", "--templates", file])
        #expect(c.templates?.ids == ["code01", "parcel"])
        #expect(try configuration([]).templates == nil)
    }

    @Test(arguments: [
        (["--report-segments", "0"], "--report-segments"),
        (["--report-failing-part", "two=UNDELIV"], "--report-failing-part"),
        (["--whole-request-status", "E2000289"], "--whole-request-status"),
        (["--accept-then-502-fraction", "1.5"], "--accept-then-502-fraction"),
        (["--report-status", "1=" + String(repeating: "X", count: 33)], "--report-status"),
        (["--report-batch-size", "51"], "--report-batch-size"),
        (["--template", "t=${FOO}"], "--template #1: template t: ${FOO} is not a variable"),
        (["--templates", "/nonexistent/templates.txt"], "--templates /nonexistent/templates.txt"),
    ])
    func badValuesAreRefusedNamingTheOption(arguments: [String], message: String) throws {
        let error = #expect(throws: (any Error).self) { try configuration(arguments) }
        let text = error.map { GroupSMSSim.message(for: $0) } ?? ""
        #expect(text.contains(message), "\(text)")
    }

    @Test func theBinaryExitsWithUsageStatusAndListsTheNewOptions() async throws {
        let refused = try await Self.runSimulator(["--report-segments", "0"])
        #expect(refused.status == 64 && refused.stderr.contains("--report-segments must be 1 to 99"), "\(refused.stderr)")
        let help = try await Self.runSimulator(["--help"]).stdout
        for option in ["--console-callback", "--accept-then-502-fraction", "--accept-then-gateway-body-fraction",
                       "--unknown-code-fraction", "--whole-request-status", "--fault-first", "--report-segments",
                       "--report-failing-part", "--template", "--templates"] {
            #expect(help.contains(option), "\(option)")
        }
        #expect(!help.contains("--report-attempts") && !help.contains("--report-format"))
    }

    /// Runs the real `groupsms-sim` on a Dispatch thread: waiting for a child process must not
    /// hold one of the few threads every other test's tasks run on.
    private static func runSimulator(_ arguments: [String]) async throws -> CommandLineRun {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try CommandLineRunner.run(arguments, executable: "groupsms-sim") })
            }
        }
    }
}
