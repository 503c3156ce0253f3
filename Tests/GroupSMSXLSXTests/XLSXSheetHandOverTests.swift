import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSXLSX

/// Sheets the subset parser hands over to libxml2 part-way: the scan reads the same cells, each
/// once and in order, with the same refusals, as libxml2 reading the sheet alone.
@Suite struct XLSXSheetHandOverTests {
    /// Rows of three inline cells each (one, `columnA`); `insert` goes before row `at`.
    private static func sheet(rows: Int, insert: String = "", at: Int = 0, columnA: Bool = false) -> String {
        let body = (1...rows).map { row in
            (row == at ? insert : "") + #"<row r="\#(row)"><c r="A\#(row)" t="inlineStr"><is><t>+86131\#(10_000_000 + row)</t></is></c>"#
                + (columnA ? "" : #"<c r="B\#(row)" s="1"><v>\#(row * 7)</v></c><c r="C\#(row)" t="inlineStr"><is><t>name \#(row)</t></is></c>"#)
                + "</row>"
        }.joined()
        return TestWorkbook.worksheet(body)
    }

    /// Every cell the scanner passes on ("B7 number 49"), and the refusal it ends with.
    private static func scan(_ xml: String, parsing: XLSXSheetScanner.Parsing, piece: Int) throws -> ([String], XLSXError?) {
        let bytes = Array(xml.utf8)
        let scanner = try XLSXSheetScanner(source: XMLMemorySource(bytes, piece: piece), path: "f.xlsx", part: "xl/worksheets/sheet1.xml",
                                           limits: .standard, allColumns: true, reopen: { XMLMemorySource(bytes, piece: piece) },
                                           parsing: parsing)
        var cells: [String] = []
        var batch = XLSXCellBatch()
        for _ in 0..<100_000 {
            let outcome = scanner.fill(&batch)
            do {
                try batch.deliverAllColumns(XLSXSharedStrings(), path: "f.xlsx", part: scanner.part) { cell in
                    cells.append("\(XLSXCellReference.name(row: cell.row, column: cell.column)) \(cell.kind) "
                        + String(decoding: cell.text, as: UTF8.self))
                }
            } catch let error as XLSXError {
                return (cells, error)
            }
            guard outcome != .ended else { return (cells, nil) }
            batch.removeAll()
        }
        Issue.record("the scan never ended")
        return (cells, nil)
    }

    @Test(arguments: [
        ("a comment", "<!-- exported by a tool -->", true),
        ("CDATA", #"<row r="0"><c r="D0" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row>"#, false),
        ("a line end as CR LF", "\r\n", true),
        ("a malformed tag", "<row r=>", false),
        ("an unknown entity", #"<row r="0"><c r="A0" t="inlineStr"><is><t>&nbsp;</t></is></c></row>"#, false),
    ])
    func aHandOverMidSheetReadsWhatLibxml2Reads(_ construct: String, _ insert: String, _ harmless: Bool) throws {
        // 2,000 rows: about 300 KB, so the hand-over comes several chunks in.
        let xml = Self.sheet(rows: 2_000, insert: insert, at: 1_234)
        let alone = try Self.scan(xml, parsing: .libxml2, piece: .max)
        for piece in [.max, 4_093] {
            let (cells, failure) = try Self.scan(xml, parsing: .subsetFirst, piece: piece)
            #expect(cells == alone.0, "\(construct), reads of \(piece)")
            #expect(failure == alone.1, "\(construct), reads of \(piece)")
        }
        #expect(Set(alone.0).count == alone.0.count, "no cell twice")
        if harmless {
            #expect(alone.1 == nil && alone.0.count == 6_000, "\(construct) reads every cell: \(alone.1.map { "\($0)" } ?? "")")
            #expect(alone.0 == (try Self.scan(Self.sheet(rows: 2_000), parsing: .libxml2, piece: .max)).0)
        } else {
            #expect(alone.1 != nil, "\(construct) is refused")
        }
    }

    @Test func aWorkbookWithACommentMidSheetReadsEveryNumberOnceOnEachPath() async throws {
        let directory = try TemporaryDirectory()
        let plain = directory.file("plain.xlsx"), commented = directory.file("commented.xlsx")
        let plainA = directory.file("plain-a.xlsx"), commentedA = directory.file("commented-a.xlsx")
        try TestWorkbook.write(TestWorkbook.parts(sheet: Self.sheet(rows: 2_000)), to: plain)
        try TestWorkbook.write(TestWorkbook.parts(sheet: Self.sheet(rows: 2_000, insert: "<!-- note -->", at: 999)), to: commented)
        try TestWorkbook.write(TestWorkbook.parts(sheet: Self.sheet(rows: 5_000, columnA: true)), to: plainA)
        try TestWorkbook.write(TestWorkbook.parts(sheet: Self.sheet(rows: 5_000, insert: "<!-- note -->", at: 3_999, columnA: true)),
                               to: commentedA)
        let expected = try XLSXTestReading.cells(plainA)
        #expect(expected.count == 5_000)
        #expect(try XLSXTestReading.cells(commentedA) == expected, "column A, one core")
        var concurrent: [String] = []
        try await XLSXReader.readColumnA(path: commentedA) { concurrent.append($0.text) }
        #expect(concurrent == expected.map { $0.text }, "column A, two cores")
        let rows = await XLSXTestReading.rows(commented)
        #expect(rows.error == nil)
        #expect(rows.rows.map { $0.map(\.description) } == (await XLSXTestReading.rows(plain)).rows.map { $0.map(\.description) },
                "variable columns, the sheet inflated by its own task")
        #expect(rows.rows.count == 1_999)
    }
}
