import Foundation
import GroupSMSTestSupport
import Testing

/// `--callback-url`: the platform is never given an address it cannot reach (SPEC §4); the
/// refusal comes before anything is sent and names the option.
@Suite struct CallbackURLTests {
    @Test func sendRefusesAWildcardListenerWithoutCallbackURL() throws {
        let directory = try TemporaryDirectory(prefix: "cli-callback")
        let book = try JobCLITestKit.workbook(in: directory, count: 3)
        let run = try CommandLineRunner.run([
            "send", book, "--template", "tmpl0001", "--from", "8824110605", "--listen", "0.0.0.0:0",
            "--endpoint", "https://smsapi.example.com", "--data-dir", directory.file("data"),
        ], environment: JobCLITestKit.demoCredentials)
        #expect(run.status == 64)
        #expect(run.stderr.contains("wildcard address") && run.stderr.contains("--callback-url"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("data") + "/groupsms.sqlite"), "no job was made")
    }

    @Test func daemonRefusesLoopbackListenerForARemoteEndpoint() throws {
        let directory = try TemporaryDirectory(prefix: "cli-callback")
        let run = try CommandLineRunner.run([
            "daemon", "--listen", "127.0.0.1:0", "--endpoint", "https://smsapi.example.com",
            "--data-dir", directory.file("data"),
        ], environment: JobCLITestKit.demoCredentials)
        #expect(run.status == 64)
        #expect(run.stderr.contains("cannot reach") && run.stderr.contains("--callback-url"), "\(run.stderr)")
    }

    @Test func callbackURLMustBeAnHTTPURLWithoutCredentials() throws {
        let directory = try TemporaryDirectory(prefix: "cli-callback")
        let run = try CommandLineRunner.run([
            "daemon", "--listen", "0.0.0.0:0", "--callback-url", "https://user:pw@sms.example.com/reports",
            "--endpoint", "https://smsapi.example.com", "--data-dir", directory.file("data"),
        ], environment: JobCLITestKit.demoCredentials)
        #expect(run.status == 64)
        #expect(run.stderr.contains("--callback-url") && !run.stderr.contains("pw@"), "\(run.stderr)")
    }
}
