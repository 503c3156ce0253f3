import Foundation
@testable import groupsms
import GroupSMSPlatform
import GroupSMSTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Credentials files and the report token: off the command line, the running user's own files
/// only, CRLF accepted, folders named (issue 11, items 5 and 6).
@Suite("secret files: credentials and the report token")
struct SecretFileTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory(prefix: "cli-secrets") }

    private func write(_ text: String, to name: String, mode: Int = 0o600) throws -> String {
        let path = directory.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    private func refusal(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "accepted"
    }

    @Test("a CRLF credentials file is read; a folder is refused as a directory")
    func crlfAndDirectory() throws {
        let file = try write("# console keys\r\napp_key=someKey\r\napp_secret=TopSecretValue123\r\n", to: "creds")
        #expect(try CredentialsSource.load(file: file) == PlatformCredentials(appKey: "someKey", appSecret: "TopSecretValue123"))
        let folder = directory.file("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(refusal { _ = try CredentialsSource.load(file: folder) }
                == "\(folder): is a directory, not the credentials file")
    }

    @Test("a file of another user is refused, even a 0600 one read by root")
    func ownerRule() throws {
        var status = stat()
        status.st_mode = S_IFREG | 0o600
        status.st_uid = 1000
        #expect(SecretFile.problem(with: status, user: 0, path: "/c", what: "the credentials file")
                == "the credentials file belongs to user id 1000, but groupsms runs as user id 0; a secret is read only "
                + "from the running user's own files (copy it to a file you own, mode 600)")
        status.st_uid = 0
        #expect(SecretFile.problem(with: status, user: 0, path: "/c", what: "the credentials file") == nil)
        status.st_mode = S_IFREG | 0o640
        #expect(SecretFile.problem(with: status, user: 0, path: "/c", what: "the credentials file")
                == "the credentials file has mode 640; it must be readable by its owner only: chmod 600 /c")
    }

    @Test("as root, a 0600 credentials file owned by another user is refused on disk too",
          .enabled(if: geteuid() == 0, "changing a file's owner needs root"))
    func ownerOnDisk() throws {
        let file = try write("app_key=k\napp_secret=s\n", to: "theirs")
        #expect(chown(file, 65_534, 65_534) == 0)
        #expect(refusal { _ = try CredentialsSource.load(file: file) }.contains("belongs to user id 65534"))
    }

    @Test("the report token comes from --report-token-file or $GROUPSMS_REPORT_TOKEN, checked like a secret")
    func reportToken() throws {
        let token = "Rt-0123456789abcdef"
        let file = try write(token + "\r\n", to: "token")
        let fromFile = try ReportListenerOptions.parse(["--report-token-file", file])
        #expect(try fromFile.resolvedToken(environment: [:]) == token)
        #expect(try ReportListenerOptions.parse([]).resolvedToken(environment: ["GROUPSMS_REPORT_TOKEN": token]) == token)
        #expect(try ReportListenerOptions.parse([]).resolvedToken(environment: [:]) == nil)
        let open = try write(token, to: "open-token", mode: 0o644)
        #expect(refusal { _ = try ReportListenerOptions.parse(["--report-token-file", open]).resolvedToken(environment: [:]) }
                == "\(open): the report token file has mode 644; it must be readable by its owner only: chmod 600 \(open)")
        #expect(refusal { _ = try ReportListenerOptions.parse([]).resolvedToken(environment: ["GROUPSMS_REPORT_TOKEN": "short"]) }
                .hasPrefix("GROUPSMS_REPORT_TOKEN: "))
        #expect(throws: (any Error).self) {
            try ReportListenerOptions.parse(["--report-token", token, "--report-token-file", file])
        }
    }

    @Test("send --help says how to give the report token without putting it on the command line")
    func helpNamesTheTokenSources() throws {
        let help = try CommandLineRunner.run(["send", "--help"])
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("--report-token-file <file>"))
        #expect(text.contains("$GROUPSMS_REPORT_TOKEN"))
    }
}

@Suite("daemon log")
struct DaemonLogTests {
    @Test("the daemon logs its receiver's URL with the path token hidden")
    func tokenHidden() {
        #expect(DaemonCommand.withoutToken("http://0.0.0.0:8080/reports/Rt-0123456789abcdef")
                == "http://0.0.0.0:8080/reports/<token>")
        #expect(DaemonCommand.withoutToken("http://127.0.0.1:8080/reports") == "http://127.0.0.1:8080/reports")
    }
}
