import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSModel
@testable import GroupSMSXLSX
@testable import GroupSMSPhoneNumbers
@testable import GroupSMSPlatform
@testable import GroupSMSStore
@testable import GroupSMSReports

@Suite struct FailedNumbersWorkbookTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "workbook")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    /// Column A of the first sheet, read with the project's own reader.
    private func firstSheet(_ path: String) throws -> [XLSXCell] {
        var cells: [XLSXCell] = []
        try XLSXReader(path: path).readColumnA { cells.append($0) }
        return cells
    }

    /// The text cells of each row of `part`, read straight from the package.
    private func rows(of part: String, in path: String) throws -> [[String]] {
        let descriptor = open(path, O_RDONLY)
        let archive = try ZipArchive(fileDescriptor: descriptor, path: path, maxEntries: 100)
        let stream = try archive.open(part, maxBytes: 1 << 24)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        let xml = String(decoding: bytes, as: UTF8.self)
        let text = try Regex(#"<t[^>]*>([^<]*)</t>|<t/>"#)
        return xml.components(separatedBy: "<row").dropFirst().map { row in
            row.matches(of: text).map { match in
                String(row[match.range]).replacingOccurrences(of: #"<t[^>]*>|</t>|<t/>"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                    .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&apos;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
        }
    }

    @Test func sheetOneHoldsTheRetryableNumbersAsTextAndDetailsListEveryRow() async throws {
        let mixed = try await MixedJob.make(store: store, clock: clock, runner: runner)
        let n = mixed.numbers
        let export = try await store.failedNumbers(of: mixed.job.id)
        let out = folder.path + "/exports/new"
        let files = try FailedNumbersWorkbook.write(export, to: out)
        #expect(files.workbookPath == "\(out)/\(mixed.job.id)-failed.xlsx")
        #expect(files.csvPath == "\(out)/\(mixed.job.id)-failed.csv")

        let cells = try firstSheet(files.workbookPath)
        #expect(cells.map(\.text) == [n[1], n[3], n[4], n[5], n[7]], "no header, retryable only, in job order")
        #expect(cells.map(\.reference) == ["A1", "A2", "A3", "A4", "A5"])
        #expect(cells.allSatisfy { $0.kind == .inlineString }, "text cells, never numbers")
        // Sheet 1 re-imports as a recipient file with the same numbers.
        let reimport = try RecipientImportBuilder.importWorkbooks([files.workbookPath], defaultRegion: "CN")
        #expect(Array(reimport.numbers) == [n[1], n[3], n[4], n[5], n[7]])

        let details = try rows(of: "xl/worksheets/sheet2.xml", in: files.workbookPath)
        #expect(details.first == ["number", "class", "stage", "code", "description", "suggestion", "time"])
        #expect(details.count == 9)
        #expect(details.dropFirst().map { $0[0] } == export.rows.map(\.number))
        #expect(details.dropFirst().map { $0[3] } == ["UNDELIV", "BLACK", "EXPIRED", "E200041", "STOPPED", "UNCONFIRMED",
                                                     "LOCAL_LIMIT", "INVALID_NUMBER"])
        let undeliv = try #require(PlatformCodeCatalogue.reportEntry(for: "UNDELIV"))
        #expect(details[1][5] == undeliv.action, "platform codes get the catalogue's action")
        #expect(details[2][5] == PlatformCodeCatalogue.reportEntry(for: "BLACK")?.action)
        #expect(details[4][5] == PlatformCodeCatalogue.apiEntry(for: "E200041")?.action, "submit codes are API codes")
        #expect(details[8][5].hasPrefix("Correct the number"))
        #expect(details[3][6] == "2026-12-04T00:00:00Z")
        #expect(details.dropFirst().allSatisfy { $0.count == 7 && !$0[5].isEmpty })

        let csv = FailedNumbersTests.parseCSV(try String(contentsOfFile: files.csvPath, encoding: .utf8))
        #expect(csv.first == FailedNumbersCSV.header)
        #expect(csv.dropFirst().map { $0[0] } == export.rows.map(\.number))
        #expect(csv.dropFirst().map { $0[1] } == ["retryable", "opted-out", "retryable", "retryable", "retryable",
                                                 "unconfirmed", "retryable", "invalid"])
        // Writing again replaces both files.
        #expect(try FailedNumbersWorkbook.write(export, to: out) == files)
    }

    @Test func aJobWithNoFailuresGetsAnEmptySheetAndAHeaderOnlyCSV() async throws {
        let numbers = StoreFixtures.numbers(2)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        _ = try await store.applyStatusReports(numbers.map { StatusReport(smsMsgId: ids[$0]!, status: "DELIVRD") })
        let files = try FailedNumbersWorkbook.write(try await store.failedNumbers(of: job.id), to: folder.path)
        #expect(try firstSheet(files.workbookPath).isEmpty)
        #expect(try String(contentsOfFile: files.csvPath, encoding: .utf8) == "number,class,stage,code,description,time\r\n")
    }

    @Test func csvFieldsThatASpreadsheetWouldRunAsFormulasAreNeutralised() async throws {
        let hostile = ["=HYPERLINK(\"http://evil.example\",\"x\")", "-2+3", "@SUM(A1)", "+86 131 abc", "+"]
        var draft = StoreFixtures.draft(StoreFixtures.numbers(1))
        draft.rejected = hostile.enumerated().map {
            RejectedEntryDraft(fileIndex: 0, cell: "A\($0.offset + 3)", original: $0.element, description: "not a number")
        }
        let job = try await store.createJob(draft)
        let export = try await store.failedNumbers(of: job.id)
        let files = try FailedNumbersWorkbook.write(export, to: folder.path)
        let csv = FailedNumbersTests.parseCSV(try String(contentsOfFile: files.csvPath, encoding: .utf8))
        #expect(csv.dropFirst().map { $0[0] } == hostile.map { "'" + $0 })
        // The workbook keeps the text as it was: text cells are never evaluated.
        let details = try rows(of: "xl/worksheets/sheet2.xml", in: files.workbookPath)
        #expect(details.dropFirst().map { $0[0] } == hostile)

        #expect(FailedNumbersCSV.neutralisingFormula("+8613900000001") == "+8613900000001", "E.164 is data")
        #expect(FailedNumbersCSV.neutralisingFormula("\tx") == "'\tx")
        #expect(FailedNumbersCSV.neutralisingFormula("\rx") == "'\rx")
        #expect(FailedNumbersCSV.neutralisingFormula("a=b") == "a=b")
        #expect(FailedNumbersCSV.neutralisingFormula("") == "")
        #expect(FailedNumbersCSV.line(for: FailedNumberRow(
            position: 0, number: "+8613900000001", state: .failed, failureClass: .retryable, stage: .delivery,
            code: "UNDELIV", description: "-not delivered", time: nil, sourceFile: nil, cell: nil))
            == "+8613900000001,retryable,delivery,UNDELIV,'-not delivered,\r\n")
    }
}
