import Foundation
import Testing
@testable import GroupSMSStore
@testable import GroupSMSReports
import GroupSMSModel
import GroupSMSTestSupport

@Suite struct FailedNumbersTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "export")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    @Test func theExportListsEveryNumberThatDidNotGetThroughInPositionOrder() async throws {
        let mixed = try await MixedJob.make(store: store, clock: clock, runner: runner)
        let n = mixed.numbers
        let export = try await store.failedNumbers(of: mixed.job.id)
        #expect(export.rows.map(\.number) == [n[1], n[2], n[3], n[4], n[5], n[6], n[7], mixed.invalidOriginal])
        #expect(export.rows.map(\.position) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(export.rows.map(\.failureClass) == [.retryable, .optedOut, .retryable, .retryable, .retryable,
                                                    .unconfirmed, .retryable, .invalid])
        #expect(export.rows.map(\.code) == ["UNDELIV", "BLACK", "EXPIRED", "E200041", "STOPPED", "UNCONFIRMED",
                                            "LOCAL_LIMIT", "INVALID_NUMBER"])
        #expect(export.rows.map(\.stage) == [.delivery, .delivery, .delivery, .submit, .submit, .submit, .local, .import])
        #expect(export.retryableNumbers == [n[1], n[3], n[4], n[5], n[7]])
        #expect(export.countsByClass == [.retryable: 5, .optedOut: 1, .unconfirmed: 1, .invalid: 1])
        #expect(export.countsByCode["EXPIRED"] == 1 && export.countsByCode.values.reduce(0, +) == 8)
        #expect(export.rows[2].time == clock.now(), "expired now")
        #expect(export.rows[7].cell == "A10" && export.rows[7].sourceFile == "recipients.xlsx")
        let firstPage = try await store.failedNumberRows(of: mixed.job.id, limit: 3)
        let secondPage = try await store.failedNumberRows(of: mixed.job.id, afterPosition: firstPage.last!.position)
        #expect(firstPage + secondPage == export.rows)
    }

    @Test func theCSVHasTheContractHeaderAndParsesBackToTheRows() async throws {
        let mixed = try await MixedJob.make(store: store, clock: clock, runner: runner)
        let export = try await store.failedNumbers(of: mixed.job.id)
        let text = FailedNumbersCSV.document(export.rows)
        #expect(text.hasPrefix("number,class,stage,code,description,time\r\n"))
        #expect(text.hasSuffix("\r\n"))
        let records = Self.parseCSV(text)
        #expect(records.count == export.rows.count + 1)
        #expect(records[0] == ["number", "class", "stage", "code", "description", "time"])
        for (record, row) in zip(records.dropFirst(), export.rows) {
            #expect(record == [row.number, row.failureClass.rawValue, row.stage?.rawValue ?? "", row.code, row.description,
                               row.time.map { StoreTime.iso($0) } ?? ""])
        }
        #expect(records[8][0] == "12ab, \"x\"", "the invalid entry's comma and quotes survive")
        #expect(records[3][5] == "2026-12-04T00:00:00Z")
        #expect(text.contains("\"12ab, \"\"x\"\"\""))
    }

    @Test func controlCharactersInFieldsAreWrittenAsEscapesAndTheFormulaGuardStays() {
        let row = FailedNumberRow(position: 0, number: "=1\u{1B}[31m", state: .failed, failureClass: .invalid,
                                  stage: .import, code: "INVALID_NUMBER",
                                  description: "bad\ngroupsms: job-2 FAKE finished\u{9B}")
        let line = FailedNumbersCSV.line(for: row)
        #expect(line == "'=1\\u001b[31m,invalid,import,INVALID_NUMBER,bad\\u000agroupsms: job-2 FAKE finished\\u009b,\r\n")
        #expect(!line.unicodeScalars.dropLast(2).contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        let tab = FailedNumberRow(position: 0, number: "\t=cmd", state: .failed, failureClass: .invalid, code: "X", description: "")
        #expect(FailedNumbersCSV.line(for: tab).hasPrefix("\\u0009=cmd,"))
    }

    @Test func fieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(FailedNumbersCSV.quote("+8613900000001") == "+8613900000001")
        #expect(FailedNumbersCSV.quote("a,b") == "\"a,b\"")
        #expect(FailedNumbersCSV.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(FailedNumbersCSV.quote("two\nlines") == "\"two\nlines\"")
        #expect(FailedNumbersCSV.quote("cr\rhere") == "\"cr\rhere\"")
        #expect(FailedNumbersCSV.quote("") == "")
        #expect(FailedNumbersCSV.record(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    }

    /// An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\r", characters.first == "\n" {
                characters.removeFirst()
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return records
    }
}
