import Foundation
import GroupSMSTestSupport
import GroupSMSXLSX
import Testing

/// `--variables columns` (SPEC §7): row 1 is the header, later rows hold a number in A and the
/// values in B, C, ...; streamed like column A, with the layout checked as it goes.
@Suite struct XLSXVariableColumnsTests {
    private typealias Cell = XLSXTestReading.RowCell

    private func read(_ rows: String, strings: [String?]? = nil, styles: String? = nil, date1904: Bool = false,
                      limits: XLSXReadLimits = .standard) async throws -> XLSXTestReading.Rows {
        let directory = try TemporaryDirectory()
        let path = directory.file("personal.xlsx")
        let items = strings.map { $0.map { $0.map { "<t>\($0)</t>" } } }
        let parts = TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows), sharedStrings: items.map { TestWorkbook.sharedStrings($0) },
                                       styles: styles, date1904: date1904)
        try TestWorkbook.write(parts, to: path)
        return await XLSXTestReading.rows(path, limits: limits)
    }

    private func inline(_ reference: String, _ text: String) -> String {
        #"<c r="\#(reference)" t="inlineStr"><is><t>\#(text)</t></is></c>"#
    }

    @Test func headerThenRowsWithTheirValuesByColumn() async throws {
        let rows = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>6</v></c></row>\
            <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c>\(inline("C2", "123456"))</row>\
            <row r="3"><c r="A3"><v>8613112345678</v></c><c r="C3"><v>1.23456E5</v></c></row>\
            <row r="5">\(inline("B5", "orphan"))</row>
            """
        let result = try await read(rows, strings: ["Phone", "Name", "+8613112345678", "Ann"])
        #expect(result.error == nil)
        let header = try #require(result.header)
        #expect(header.cells.map(\.text) == ["Phone", "Name", "6"])
        #expect(header.cells.map(\.reference) == ["A1", "B1", "C1"])
        #expect(header.variableCount == 2 && !header.date1904)
        #expect(result.rows == [
            [Cell("A2", .sharedString, "+8613112345678"), Cell("B2", .sharedString, "Ann"), Cell("C2", .inlineString, "123456")],
            [Cell("A3", .number, "8613112345678"), Cell("C3", .number, "1.23456E5")],  // B3 is a gap: no cell
            [Cell("B5", .inlineString, "orphan")],  // a row without a number is still passed on
        ])
    }

    @Test func emptyCellsAndEmptySharedStringsAreGaps() async throws {
        let rows = """
            <row r="1">\(inline("A1", "Phone"))\(inline("B1", "X"))\(inline("C1", "Y"))</row>\
            <row r="2">\(inline("A2", "13112345678"))<c r="B2" t="s"><v>0</v></c><c r="C2"/></row>\
            <row r="3"><c r="B3" t="s"><v>0</v></c></row>
            """
        let result = try await read(rows, strings: [""])
        #expect(result.error == nil)
        #expect(result.rows == [[Cell("A2", .inlineString, "13112345678")]], "row 3 holds nothing and is not passed on")
    }

    @Test func numericCellsCarryTheirFormatsDateOrTime() async throws {
        // s=1 built-in 14 (m/d/yyyy), s=2 custom yyyy/mm/dd, s=3 built-in 20 (h:mm), s=4 custom
        // with quoted text and a colour, s=5 Chinese built-in 31, s=6 datetime 22, s=0 General.
        let styles = TestWorkbook.styles(
            numberFormats: [(164, "yyyy/mm/dd"), (165, "[Red]&quot;due &quot;0.00")],
            cellFormats: [0, 14, 164, 20, 165, 31, 22])
        let rows = """
            <row r="1">\(inline("A1", "Phone"))\(inline("B1", "a"))\(inline("C1", "b"))\(inline("D1", "c"))\
            \(inline("E1", "d"))\(inline("F1", "e"))\(inline("G1", "f"))\(inline("H1", "g"))</row>\
            <row r="2"><c r="A2" s="1"><v>13112345678</v></c><c r="B2" s="1"><v>46219</v></c><c r="C2" s="2"><v>46219</v></c>\
            <c r="D2" s="3"><v>0.6041666666666666</v></c><c r="E2" s="4"><v>12.5</v></c><c r="F2" s="5"><v>46219</v></c>\
            <c r="G2" s="6"><v>46219.6041666667</v></c><c r="H2" s="99"><v>7</v></c></row>\
            <row r="3"><c r="A3" t="d"><v>x</v></c><c r="B3" t="d" s="1"><v>2026-07-16T14:30:00</v></c>\
            <c r="C3" t="s" s="2"><v>0</v></c></row>
            """
        let result = try await read(rows, strings: ["46219"], styles: styles)
        #expect(result.error == nil)
        #expect(result.rows.first == [
            Cell("A2", .number, .date, "13112345678"), Cell("B2", .number, .date, "46219"), Cell("C2", .number, .date, "46219"),
            Cell("D2", .number, .time, "0.6041666666666666"), Cell("E2", .number, .plain, "12.5"),
            Cell("F2", .number, .date, "46219"), Cell("G2", .number, .dateTime, "46219.6041666667"),
            Cell("H2", .number, .plain, "7"),  // an index past cellXfs reads as the default format
        ])
        #expect(result.rows.last == [
            Cell("A3", .date, "x"), Cell("B3", .date, .plain, "2026-07-16T14:30:00"), Cell("C3", .sharedString, .plain, "46219"),
        ], "the style of a text or t=\"d\" cell does not make it a date serial")
    }

    @Test func workbookDate1904IsReported() async throws {
        let result = try await read("<row r=\"1\">\(inline("A1", "Phone"))\(inline("B1", "Day"))</row>", date1904: true)
        #expect(result.header?.date1904 == true)
        #expect(result.rows.isEmpty && result.error == nil)
    }

    @Test(arguments: [
        // No row 1: the first cell is named.
        (#"<row r="2"><c r="A2"><v>13112345678</v></c><c r="B2"><v>1</v></c></row>"#, "A2", XLSXError.Reason.missingHeader),
        // Row 1 without A1.
        (#"<row r="1"><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>"#,
         "A1", .missingHeader),
        // A gap in the header: B1 empty, C1 names a variable.
        (#"<row r="1"><c r="A1" t="inlineStr"><is><t>Phone</t></is></c><c r="C1" t="inlineStr"><is><t>Code</t></is></c></row>"#,
         "B1", .headerGap(nextCell: "C1")),
        // A value right of the header.
        (#"<row r="1"><c r="A1" t="inlineStr"><is><t>Phone</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c r="A2"><v>13112345678</v></c><c r="B2"><v>1</v></c><c r="D2" t="inlineStr"><is><t>note</t></is></c></row>"#,
         "D2", .contentBeyondHeader("\"note\"", lastHeaderCell: "B1")),
        // Cells out of order, and a row that goes back.
        (#"<row r="1"><c r="A1" t="inlineStr"><is><t>P</t></is></c><c r="B1" t="inlineStr"><is><t>N</t></is></c></row><row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>1</v></c></row>"#,
         "A2", .cellOutOfOrder),
        (#"<row r="1"><c r="A1" t="inlineStr"><is><t>P</t></is></c></row><row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>"#,
         "A2", .cellOutOfOrder),
    ])
    func layoutRefusalsNameTheCell(rows: String, cell: String, reason: XLSXError.Reason) async throws {
        let result = try await read(rows)
        #expect(result.error?.cell == cell)
        #expect(result.error?.reason == reason)
    }

    @Test func moreThanTwentyVariableColumnsAreRefusedAtTheHeader() async throws {
        let header = (1...22).map { inline(String(UnicodeScalar(UInt8(64 + $0))) + "1", "v\($0)") }.joined()
        let result = try await read("<row r=\"1\">\(header)</row>")
        #expect(result.error?.cell == "V1")
        #expect(result.error?.reason == .tooManyVariableColumns(20))
        #expect(result.error?.description.contains("past the 20 variables") == true)
    }

    @Test func rowsBeforeARefusalArePassedOn() async throws {
        let rows = """
            <row r="1">\(inline("A1", "Phone"))\(inline("B1", "Name"))</row>\
            <row r="2"><c r="A2"><v>13112345671</v></c>\(inline("B2", "Ann"))</row>\
            <row r="3"><c r="A3"><v>13112345672</v></c>\(inline("C3", "x"))</row>
            """
        let result = try await read(rows)
        #expect(result.rows == [[Cell("A2", .number, "13112345671"), Cell("B2", .inlineString, "Ann")]])
        #expect(result.error?.cell == "C3")
    }

    @Test func tooManyCellFormatsAreRefused() async throws {
        var limits = XLSXReadLimits()
        limits.maxCellStyles = 3
        let styles = TestWorkbook.styles(cellFormats: [0, 14, 14, 14])
        let result = try await read("<row r=\"1\">\(inline("A1", "Phone"))</row>", styles: styles, limits: limits)
        #expect(result.error?.reason == .tooManyCellStyles(3))
        #expect(result.error?.part == "xl/styles.xml")
    }

    @Test func withoutTheOptionAnyOtherColumnIsStillRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("personal.xlsx")
        let rows = "<row r=\"1\">\(inline("A1", "Phone"))\(inline("B1", "Name"))</row>"
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows)), to: path)
        #expect(XLSXTestReading.refusal(path)?.cell == "B1")
        #expect(XLSXTestReading.refusal(path)?.reason == .contentOutsideColumnA("\"Name\""))
    }

    @Test func severalFilesEachWithItsHeader() async throws {
        let directory = try TemporaryDirectory()
        var paths: [String] = []
        for (index, name) in ["Name", "Vorname"].enumerated() {
            let path = directory.file("part\(index).xlsx")
            let rows = "<row r=\"1\">\(inline("A1", "Phone"))\(inline("B1", name))</row>" +
                "<row r=\"2\"><c r=\"A2\"><v>1311234567\(index)</v></c>\(inline("B2", "v\(index)"))</row>"
            try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows)), to: path)
            paths.append(path)
        }
        var events: [String] = []
        try await XLSXReader.readRowsBytes(paths: paths) { event in
            switch event {
            case .header(let file, let header): events.append("header \(file) \(header.cells.map(\.text))")
            case .row(let file, let row): events.append("row \(file) \(row.row) \(String(decoding: row.cell(column: 2)!.text, as: UTF8.self))")
            case .endOfFile(let file): events.append("end \(file)")
            }
        }
        #expect(events == ["header 0 [\"Phone\", \"Name\"]", "row 0 2 v0", "end 0",
                           "header 1 [\"Phone\", \"Vorname\"]", "row 1 2 v1", "end 1"])
    }
}
