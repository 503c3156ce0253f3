import Foundation
import Testing
@testable import GroupSMSJobs
import GroupSMSModel
import GroupSMSTestSupport

@Suite struct JobFileTests {
    let clock = ManualWallClock()
    let path = "/srv/campaigns/Jobs/december.yaml"

    private func parse(_ yaml: String) throws(JobFileError) -> JobFile {
        try JobFile.parse(yaml: yaml, path: path, clock: clock)
    }

    private func expectError(_ yaml: String, key: String?, _ fragment: String) {
        do {
            _ = try parse(yaml)
            Issue.record("expected an error for key \(key ?? "-")")
        } catch {
            #expect(error.key == key)
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path))
            #expect(error.message.contains(fragment), "\(error.description)")
        }
    }

    @Test func aCompleteFile() throws {
        let file = try parse("""
            name: December notice
            recipients: [../Samples/a.xlsx, /data/b.xlsx]
            template: 8ff55eac1d0b478ab3c06c3c6a492300
            params: ["2026", 007, Friday]
            from: "8824110605"
            signature: Huawei Cloud
            at: 2026-12-01T09:00:00+08:00
            rate: 200
            status_callback: https://example.com/reports/secret
            default_country: gb
            max_defer: 30m
            """)
        #expect(file.name == "December notice")
        #expect(file.recipients == ["/srv/campaigns/Samples/a.xlsx", "/data/b.xlsx"])
        #expect(file.templateID == "8ff55eac1d0b478ab3c06c3c6a492300")
        #expect(file.params == ["2026", "007", "Friday"])
        #expect(file.from == "8824110605")
        #expect(file.signature == "Huawei Cloud")
        #expect(file.at == Date(timeIntervalSince1970: 1_796_086_800))
        #expect(file.rate == 200)
        #expect(file.statusCallback == "https://example.com/reports/secret")
        #expect(file.defaultCountry == "GB")
        #expect(file.maxDefer == 1800)
        #expect(file.warnings.count == 1, "the name has spaces, which the console refuses")
    }

    @Test func defaultsAndASingleRecipient() throws {
        let file = try parse("recipients: list.xlsx\ntemplate: t1\nfrom: ch1\nat: +10m\n")
        #expect(file.name == "december")
        #expect(file.recipients == ["/srv/campaigns/Jobs/list.xlsx"])
        #expect(file.params.isEmpty)
        #expect(file.signature == nil)
        #expect(file.at == clock.now().addingTimeInterval(600))
        #expect(file.rate == 500)
        #expect(file.defaultCountry == "CN")
        #expect(file.maxDefer == 3600)
        #expect(file.warnings.isEmpty)
    }

    @Test func mistakesNameTheKey() {
        let base = "recipients: a.xlsx\ntemplate: t1\nfrom: ch1\n"
        expectError(base + "templte: t2\n", key: "templte", "not a job file key")
        expectError(base + "rate: 900\n", key: "rate", "1 to 500")
        expectError(base + "rate: fast\n", key: "rate", "whole number")
        expectError(base + "at: tomorrow\n", key: "at", "cannot read the time")
        expectError(base + "at: 2026-12-01T09:00:00\n", key: "at", "no UTC offset")
        expectError(base + "status_callback: ftp://x\n", key: "status_callback", "http")
        expectError(base + "default_country: China\n", key: "default_country", "two-letter")
        expectError(base + "params: abc\n", key: "params", "must be a list")
        expectError(base + "params: [a, [b]]\n", key: "params", "item 2")
        expectError(base + "max_defer: soon\n", key: "max_defer", "duration")
        expectError(base + "rate: 10\nrate: 20\n", key: "rate", "more than once")
        expectError("recipients: a.xlsx\nfrom: ch1\n", key: "template", "required")
        expectError("template: t\nfrom: ch1\n", key: "recipients", "required")
        expectError("recipients: []\ntemplate: t\nfrom: ch1\n", key: "recipients", "at least one")
        expectError(base.replacingOccurrences(of: "ch1", with: "ch 1"), key: "from", "spaces")
        expectError(base.replacingOccurrences(of: "t1", with: String(repeating: "t", count: 33)), key: "template",
                    "at most 32 characters")
        expectError("- a\n- b\n", key: nil, "mapping")
        expectError("recipients: [a.xlsx\n", key: nil, "YAML")
    }

    @Test func errorsCarryTheLine() throws {
        do {
            _ = try parse("recipients: a.xlsx\ntemplate: t1\nfrom: ch1\nrate: 0\n")
            Issue.record("rate 0 accepted")
        } catch {
            #expect(error.line == 4)
            #expect(error.description.hasPrefix("\(path):4: key 'rate'"))
        }
    }

    @Test func loadChecksThatRecipientFilesExist() throws {
        let folder = try TemporaryDirectory(prefix: "jobfile")
        let jobPath = folder.file("job.yaml")
        try "recipients: [here.xlsx, missing.xlsx]\ntemplate: t1\nfrom: ch1\n".write(toFile: jobPath, atomically: true, encoding: .utf8)
        try Data().write(to: URL(fileURLWithPath: folder.file("here.xlsx")))
        #expect(throws: JobFileError.self) { try JobFile.load(path: jobPath, clock: clock) }
        try Data().write(to: URL(fileURLWithPath: folder.file("missing.xlsx")))
        let file = try JobFile.load(path: jobPath, clock: clock)
        #expect(file.recipients == [folder.file("here.xlsx"), folder.file("missing.xlsx")].map {
            URL(fileURLWithPath: $0).standardizedFileURL.path
        })
        #expect(throws: JobFileError.self) { try JobFile.load(path: folder.file("nope.yaml"), clock: clock) }
    }

    @Test func paramsAreCappedAsTheTemplateRulesSay() {
        let base = "recipients: a.xlsx\ntemplate: t1\nfrom: ch1\n"
        let twenty = (1...20).map { "\"\($0)\"" }.joined(separator: ", ")
        #expect((try? parse(base + "params: [\(twenty)]\n"))?.params.count == 20)
        expectError(base + "params: [\(twenty), \"21\"]\n", key: "params",
                    "21 parameters given; a template has at most 20 variables")
        expectError(base + "params: [ok, \(String(repeating: "x", count: 1_000))]\n", key: "params",
                    "parameter 2 has 1000 characters; a template variable holds at most 20")
        expectError(base + "params: [\"{x}\"]\n", key: "params", "contains { or }")
    }

    @Test func templateTextIsParsedAndItsRulesNameThePlaceholder() throws {
        let base = "recipients: a.xlsx\ntemplate: t1\nfrom: ch1\n"
        let file = try parse(base + "template_text: \"Code ${NUM_6}\"\ntemplate_kind: verification\n")
        #expect(file.inlineTemplate?.id == "t1" && file.inlineTemplate?.kind == .verification)
        #expect(file.inlineTemplate?.text.variables.map(\.placeholder) == ["${NUM_6}"])
        #expect(try parse(base + "template_text: Hello\n").inlineTemplate?.kind == .notification)
        #expect(try parse(base).inlineTemplate == nil)
        expectError(base + "template_text: \"Code ${NUM_0}\"\n", key: "template_text", "${NUM_0} at character 6")
        expectError(base + "template_text: Hi\ntemplate_kind: spam\n", key: "template_kind", "unknown template kind")
        expectError(base + "template_kind: promotion\n", key: "template_kind", "belongs to template_text")
    }

    @Test func aStartMoreThanAMinutePastIsRefused() throws {
        let base = "recipients: a.xlsx\ntemplate: t1\nfrom: ch1\n"
        // The clock is 2026-12-01T00:00:00Z; 59 s before it is still "now".
        #expect(try parse(base + "at: 2026-11-30T23:59:01Z\n").at == clock.now().addingTimeInterval(-59))
        expectError(base + "at: 2025-12-01T00:00:00Z\n", key: "at", "is more than a minute in the past")
        expectError(base + "at: 2026-11-30T23:58:59Z\n", key: "at", "to send now, leave `at` out")
    }

    @Test func loadRefusesLargeFilesAndFolders() throws {
        let folder = try TemporaryDirectory(prefix: "jobfile-caps")
        try Data().write(to: URL(fileURLWithPath: folder.file("a.xlsx")))
        let large = folder.file("large.yaml")
        let padding = "# " + String(repeating: "x", count: JobFileRules.maximumFileBytes) + "\n"
        try ("recipients: a.xlsx\ntemplate: t1\nfrom: ch1\n" + padding).write(toFile: large, atomically: true, encoding: .utf8)
        #expect(throws: JobFileError(path: large, key: nil, line: nil, message: "is larger than 1 MiB, the most a job "
                                     + "file may hold; a job file names settings and recipient files, and the numbers "
                                     + "belong in the XLSX files")) {
            try JobFile.load(path: large, clock: clock)
        }
        #expect(throws: JobFileError(path: folder.path, key: nil, line: nil, message: "is a directory, not a job file")) {
            try JobFile.load(path: folder.path, clock: clock)
        }
    }

    @Test func loadReadsARecipientNamedTwiceOnce() throws {
        let folder = try TemporaryDirectory(prefix: "jobfile-twice")
        try Data().write(to: URL(fileURLWithPath: folder.file("a.xlsx")))
        let twice = folder.file("twice.yaml")
        try "recipients: [a.xlsx, ./a.xlsx]\ntemplate: t1\nfrom: ch1\n".write(toFile: twice, atomically: true, encoding: .utf8)
        let file = try JobFile.load(path: twice, clock: clock)
        let only = URL(fileURLWithPath: folder.file("a.xlsx")).standardizedFileURL.path
        #expect(file.recipients == [only])
        #expect(file.warnings == ["\(only) is given more than once; reading it once"])
    }
}

@Suite struct JobFileSendWindowTests {
    let clock = ManualWallClock()
    let path = "/srv/campaigns/Jobs/night.yaml"
    let base = "recipients: list.xlsx\ntemplate: t1\nfrom: ch1\n"

    private func parse(_ extra: String) throws(JobFileError) -> JobFile {
        try JobFile.parse(yaml: base + extra, path: path, clock: clock)
    }

    @Test func sendWindowAndSendByAreRead() throws {
        let night = try parse("send_window: 20:00-08:00\nat: +1h\nsend_by: 2026-12-02T06:00:00+08:00\n")
        #expect(night.sendWindow == .everyNumber(try SendWindow(parsing: "20:00-08:00")))
        #expect(night.sendBy == ISO8601DateFormatter().date(from: "2026-12-01T22:00:00Z"))
        #expect(try parse("send_window: any\n").sendWindow == .any)
        #expect(try parse("send_window: default\n").sendWindow == .regionDefaults)
        let plain = try parse("")
        #expect(plain.sendWindow == .regionDefaults && plain.sendBy == nil)
        #expect(try parse("send_by: +3h\n").sendBy == clock.now().addingTimeInterval(10_800))
    }

    @Test func badValuesNameTheKeyTheLineAndWhatToWrite() {
        for (extra, key, fragment) in [
            ("send_window: 25:00-08:00\n", "send_window", "hours must be 00-23 (the start hour is 25)"),
            ("send_window: 08:00-08:00\n", "send_window", "never close (use `any`) or never open"),
            ("send_window: evenings\n", "send_window", "write HH:MM-HH:MM"),
            ("at: +2h\nsend_by: +1h\n", "send_by", "is not after the job's start"),
            ("send_by: tomorrow\n", "send_by", "cannot read the time"),
        ] {
            do {
                _ = try parse(extra)
                Issue.record("expected an error for \(extra)")
            } catch {
                #expect(error.key == key && error.line != nil, "\(error)")
                #expect(error.message.contains(fragment), "\(error.description)")
            }
        }
    }
}
