import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSJobs
import GroupSMSTestSupport
import Testing

/// Issue 12: the daemon checks a job file against the catalogue when it reads it.
@Suite("jobs folder: template checks")
struct FolderTemplateCheckTests {
    @Test("a job file whose parameter does not fit its catalogue template is refused, naming it; a fixed one is submitted with its estimate")
    func catalogueTemplateChecked() async throws {
        let temp = try TemporaryDirectory(prefix: "folder-template")
        let fixture = try FolderFixture(root: temp.path)
        let store = try fixture.store()
        try await store.addTemplate(try MessageTemplate(id: "t9", text: "Code ${NUM_1}", kind: .verification,
                                                        region: .mainland))
        try fixture.writeJob(version: 1)  // params: ["p"], not a digit
        let refused = await fixture.scanOnce(store)
        #expect(refused.count == 1 && refused[0].hasSuffix(#"refused: parameter 1 "p" does not fit ${NUM_1}: digits 0-9 only (no spaces, signs or separators)"#),
                "\(refused)")
        #expect(try await store.summaries().isEmpty)
        try (try String(contentsOfFile: fixture.jobFile, encoding: .utf8)).replacingOccurrences(of: "[\"p\"]", with: "[\"7\"]")
            .write(toFile: fixture.jobFile, atomically: true, encoding: .utf8)
        let submitted = await fixture.scanOnce(store)
        #expect(submitted.count == 1 && submitted[0].contains("submitted"), "\(submitted)")
        let job = try #require(try await store.summaries().first)
        #expect(job.estimate?.templateChecked == true && job.estimate?.numbers == 12)
        #expect(job.estimate?.preview == "Code 7")
    }

    @Test("template_text in the job file is checked the same way, without a catalogue entry")
    func inlineTemplateChecked() async throws {
        let temp = try TemporaryDirectory(prefix: "folder-template")
        let fixture = try FolderFixture(root: temp.path)
        let store = try fixture.store()
        try fixture.writeJob(version: 1)
        let text = try String(contentsOfFile: fixture.jobFile, encoding: .utf8)
        try (text + "template_text: \"Hi ${TXT_1}${TXT_1}\"\nsignature: Acme\n")
            .write(toFile: fixture.jobFile, atomically: true, encoding: .utf8)
        let refused = await fixture.scanOnce(store)
        #expect(refused.first?.contains("template t9 has 2 variables (${TXT_1}, ${TXT_1}) but 1 parameter was given") == true,
                "\(refused)")
        #expect(try await store.summaries().isEmpty)
    }
}
