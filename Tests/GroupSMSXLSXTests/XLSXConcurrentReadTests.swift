import Foundation
import GroupSMSXLSX
import GroupSMSPhoneNumbers
import GroupSMSTestSupport
import Testing

/// Reading with the sheet scan in a child task gives exactly what reading in one task gives:
/// the same cells in the same order, the same refusal at the same cell.
@Suite struct XLSXConcurrentReadTests {
    private struct Outcome: Equatable {
        var cells: [XLSXCell] = []
        var error: XLSXError?
    }

    private func sequential(_ path: String) -> Outcome {
        var outcome = Outcome()
        do {
            try XLSXReader(path: path).readColumnA { outcome.cells.append($0) }
        } catch {
            outcome.error = error as? XLSXError
        }
        return outcome
    }

    private func concurrent(_ path: String) async -> Outcome {
        var outcome = Outcome()
        do {
            try await XLSXReader.readColumnA(path: path) { outcome.cells.append($0) }
        } catch {
            outcome.error = error as? XLSXError
        }
        return outcome
    }

    @Test(arguments: [
        // Shared strings in and outside column A, empty entries, inline and numeric cells.
        (#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>+86 131</t></is></c><c r="A4"><v>5.0E10</v></c></row>"#, false),
        // A non-empty shared string in column B after good rows: refused at B3.
        (#"<row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" t="inlineStr"><is><t>x</t></is></c></row>"#, true),
        // Inline content in column C before a bad shared index: the earlier cell is named.
        (#"<row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><t>x</t></is></c><c r="A3" t="s"><v>9</v></c></row>"#, true),
        // An index out of range, then a missing one.
        (#"<row r="2"><c r="A2" t="s"><v>7</v></c><c r="A3" t="s"/></row>"#, true),
        (#"<row r="2"><c r="A2" t="s"/><c r="A3" t="s"><v>7</v></c></row>"#, true),
        // Broken XML after some cells.
        (#"<row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="3"><c r="A3"><v>1</c></row>"#, true),
    ])
    func bothWaysReadTheSame(rows: String, refused: Bool) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("recipients.xlsx")
        let strings = TestWorkbook.sharedStrings(["Phone", "13112345678", ""])
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows), sharedStrings: strings), to: path)
        let expected = sequential(path)
        #expect((expected.error != nil) == refused)
        #expect(await concurrent(path) == expected)
    }

    @Test(.enabled(if: XLSXCorpusTests.folder != nil, "../shared/corpus/realworld is absent: corpus not checked"))
    func everyCorpusWorkbookReadsTheSameBothWays() async throws {
        let folder = try #require(XLSXCorpusTests.folder)
        let files = FileManager.default.enumerator(atPath: folder)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".xlsx") }.sorted()
        #expect(files.count >= 100)
        for file in files {
            let path = folder + "/" + file
            let expected = sequential(path)
            #expect(await concurrent(path) == expected, "\(file)")
        }
    }

    @Test func aSheetLargerThanTheHandOverQueueArrivesWholeAndInOrder() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("many.xlsx")
        let rows = (0..<70_000).map { [XLSXValue.text(String(13_100_000_000 + $0))] }
        try XLSXWriter(sheets: [XLSXSheet(name: "Numbers", rows: rows)], stringStorage: .shared).write(to: path)
        var count = 0
        var inOrder = true
        try await XLSXReader.readColumnA(path: path) { cell in
            inOrder = inOrder && cell.row == count + 1 && cell.text == String(13_100_000_000 + count)
            count += 1
        }
        #expect(count == 70_000)
        #expect(inOrder)
    }

    @Test func anErrorFromTheCallerStopsTheScan() async throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory()
        let path = directory.file("stop.xlsx")
        let rows = (0..<10_000).map { [XLSXValue.number(String(8_613_100_000_000 + $0))] }
        try XLSXWriter(sheets: [XLSXSheet(name: "Numbers", rows: rows)]).write(to: path)
        var seen = 0
        await #expect(throws: Stop.self) {
            try await XLSXReader.readColumnA(path: path) { _ in
                seen += 1
                if seen == 3 { throw Stop() }
            }
        }
        #expect(seen == 3)
    }

    @Test func importingConcurrentlyGivesTheSameReport() async throws {
        let directory = try TemporaryDirectory()
        var paths: [String] = []
        for file in 0..<2 {
            let path = directory.file("recipients\(file).xlsx")
            let rows: [[XLSXValue]] = (0..<3_000).map { row in
                switch row % 4 {
                case 0: [.number("86131\(10_000_000 + row)")]
                case 1: [.text("+86 139 \(10_000_000 + row / 2)")]
                case 2: [.text("not a number \(row)")]
                default: [.text("+44 7700 900\(String(row % 1000).leftPadded(3))")]
                }
            }
            let sheet = XLSXSheet(name: "Recipients", header: ["Phone number"], rows: rows)
            try XLSXWriter(sheets: [sheet], stringStorage: file == 0 ? .shared : .inline).write(to: path)
            paths.append(path)
        }
        let expected = try RecipientImportBuilder.importWorkbooks(paths)
        let report = try await RecipientImportBuilder.importWorkbooksConcurrently(paths)
        #expect(report == expected)
        #expect(report.duplicates > 0 && !report.invalid.isEmpty)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
