import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// `check` quotes invalid cells; what a cell holds never reaches the terminal raw (issue 11, item 4).
@Suite("untrusted cell text in CLI output")
struct UntrustedOutputCLITests {
    @Test("check prints an invalid cell's control characters as \\u escapes")
    func checkEscapesInvalidCells() throws {
        let directory = try TemporaryDirectory(prefix: "cli-untrusted")
        let path = directory.file("forged.xlsx")
        let forged = "x\ngroupsms: job-2 FAKE finished\u{1B}[31m"
        try XLSXWriter(sheets: [XLSXSheet.textColumn(name: "Sheet1", header: "Phone", ["+8613900000001", forged])])
            .write(to: path)
        let check = try CommandLineRunner.run(["check", path])
        #expect(!check.stdout.contains("\u{1B}") && !check.stderr.contains("\u{1B}"), "a raw ESC was printed")
        #expect(check.stdout.contains("x\\u000agroupsms: job-2 FAKE finished\\u001b[31m"), "\(check.stdout)")
        #expect(!check.stdout.split(separator: "\n").contains { $0.hasPrefix("groupsms: job-2") }, "a forged line")
    }
}
