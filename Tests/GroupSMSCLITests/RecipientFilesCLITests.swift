import Foundation
import GroupSMSTestSupport
import Testing

/// A recipient file named twice is read once (issue 11, item 6).
@Suite("recipient files named twice")
struct RecipientFilesCLITests {
    @Test("the same file given twice (by another path) is read once, with a warning")
    func sameFileTwice() throws {
        let directory = try TemporaryDirectory(prefix: "cli-twice")
        let book = try JobCLITestKit.workbook(in: directory, count: 10)
        let again = directory.path + "/./recipients.xlsx"
        let check = try CommandLineRunner.run(["check", book, again, book, "--json"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr == "groupsms: warning: \(again) is the same file as \(book); reading it once\n"
                + "groupsms: warning: \(book) is given more than once; reading it once\n")
        let report = try JobCLITestKit.object(check.stdout)
        #expect(report["valid"] as? Int == 10 && report["duplicates"] as? Int == 0)
        #expect((report["files"] as? [Any])?.count == 1)
    }
}
