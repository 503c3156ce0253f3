import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// How stored values become cells: every kind of value, references, and broken indexes.
@Suite struct XLSXCellValueTests {
    private func read(_ rows: String, sharedStrings: [String?]? = nil, before: String = "") throws -> [XLSXCell] {
        let directory = try TemporaryDirectory()
        let path = directory.file("book.xlsx")
        let strings = sharedStrings.map { TestWorkbook.sharedStrings($0) }
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows, before: before), sharedStrings: strings), to: path)
        return try XLSXTestReading.cells(path)
    }

    private func refusal(_ rows: String, sharedStrings: [String?]? = nil) throws -> XLSXError? {
        let directory = try TemporaryDirectory()
        let path = directory.file("book.xlsx")
        let strings = sharedStrings.map { TestWorkbook.sharedStrings($0) }
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows), sharedStrings: strings), to: path)
        return XLSXTestReading.refusal(path)
    }

    @Test func sharedStringsJoinRichTextRunsUntrimmedAndSkipPhoneticRuns() throws {
        let strings: [String?] = [
            "<t>Phone number</t>",
            nil,  // <si/> is still an entry
            #"<r><rPr><b/></rPr><t xml:space="preserve">+86 131 </t></r><r><t>1234 5678</t></r>"#,
            #"<t>課きく</t><rPh sb="0" eb="1"><t>カ</t></rPh><rPh sb="1" eb="2"><t>キ</t></rPh><phoneticPr fontId="1"/>"#,
            "<t>A_x0042_C_x000D__x000A_</t>",
            "<t/>",
        ]
        let rows = (0..<6).map { #"<row r="\#($0 + 1)"><c r="A\#($0 + 1)" t="s"><v>\#($0)</v></c></row>"# }.joined()
        let cells = try read(rows, sharedStrings: strings)
        #expect(cells.map(\.text) == ["Phone number", "+86 131 1234 5678", "課きく", "ABC\r\n"])
        #expect(cells.map(\.reference) == ["A1", "A3", "A4", "A5"])
        #expect(cells.allSatisfy { $0.kind == .sharedString })
    }

    @Test func inlineStringsConcatenateTextCDATAAndWhitespaceNodes() throws {
        let rows = """
        <row r="1"><c r="A1" t="inlineStr"><is><t>+86 <![CDATA[131]]> 1234<![CDATA[ 5678]]></t></is></c></row>
        <row r="2"><c r="A2" t="inlineStr"><is><r><t xml:space="preserve">0086 </t></r><r><t>13112345678</t></r><rPh><t>x</t></rPh></is></c></row>
        <row r="3"><c r="A3" t="inlineStr"><is><t>a&amp;b&#49;_x0032_</t></is></c></row>
        <row r="4"><c r="A4"><is><t>no t attribute</t></is></c></row>
        <row r="5"><c r="A5" t="inlineStr"><v>value instead of is</v></c></row>
        <row r="6"><c r="A6" t="inlineStr"><is><t> </t></is></c></row>
        """
        let cells = try read(rows)
        #expect(cells.map(\.text) == ["+86 131 1234 5678", "0086 13112345678", "a&b1" + "2", "no t attribute",
                                      "value instead of is", " "])
        #expect(cells.allSatisfy { $0.kind == .inlineString })
    }

    @Test func numbersKeepTheirExactDecimalText() throws {
        let rows = """
        <row r="1"><c r="A1"><v>8613112345678</v></c></row>
        <row r="2"><c r="A2" t="n"><v>1.23456789012346E+017</v></c></row>
        <row r="3"><c r="A3" s="3"><v>5.0E10</v></c></row>
        <row r="4"><c r="A4"><v> 13112345678 </v></c></row>
        """
        let cells = try read(rows)
        #expect(cells.map(\.text) == ["8613112345678", "1.23456789012346E+017", "5.0E10", "13112345678"])
        #expect(cells.allSatisfy { $0.kind == .number })
    }

    @Test func formulaResultsBooleansErrorsAndDatesKeepTheirKind() throws {
        let rows = """
        <row r="1"><c r="A1" t="str"><f>CONCATENATE("+86","131")</f><v>+86131_x0031_</v></c></row>
        <row r="2"><c r="A2" t="b"><v>1</v></c></row>
        <row r="3"><c r="A3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
        <row r="4"><c r="A4" t="d"><v>2026-12-01T09:00:00</v></c></row>
        <row r="5"><c r="A5"><f>1+1</f><v>2</v></c></row>
        <row r="6"><c r="A6" t="str"><f>""</f><v></v></c></row>
        """
        let cells = try read(rows)
        #expect(cells.map(\.kind) == [.formulaString, .boolean, .error, .date, .number])
        #expect(cells.map(\.text) == ["+861311", "1", "#DIV/0!", "2026-12-01T09:00:00", "2"])
    }

    @Test func cellsAndRowsWithoutReferencesFollowThePreviousOne() throws {
        let rows = """
        <row><c t="inlineStr"><is><t>first</t></is></c></row>
        <row><c t="inlineStr"><is><t>second</t></is></c></row>
        <row r="7"><c r="a7" t="inlineStr"><is><t>lower case</t></is></c></row>
        <row><c><v>8</v></c></row>
        <row r="10"><c r="A10"><v>10</v></c><c s="4"/><c r="C10" s="1"/></row>
        """
        let cells = try read(rows)
        #expect(cells.map(\.reference) == ["A1", "A2", "A7", "A8", "A10"])
        #expect(cells.map(\.row) == [1, 2, 7, 8, 10])
    }

    @Test func aCellWithoutReferenceAfterColumnAIsInColumnB() throws {
        let error = try refusal(#"<row r="3"><c r="A3"><v>1</v></c><c><v>2</v></c></row>"#)
        #expect(error?.cell == "B3")
    }

    @Test func styledEmptyCellsAndALyingDimensionChangeNothing() throws {
        let rows = """
        <row r="1" spans="1:9"><c r="A1" t="inlineStr"><is><t>13112345678</t></is></c><c r="B1" s="5"/><c r="C1" s="2"><v></v></c></row>
        <row r="2"><c r="A2" s="1"/><c r="XFD2" s="3"/></row>
        <row r="3"><c r="A3" t="inlineStr"><is><t>13212345678</t></is></c><c r="D3" t="str"><f>""</f><v></v></c></row>
        """
        let cells = try read(rows, before: #"<dimension ref="A1:Z9999"/>"#)
        #expect(cells.map(\.text) == ["13112345678", "13212345678"])
    }

    @Test func aSharedStringCellWithoutValueOrOutOfRangeIsAClearError() throws {
        let missing = try refusal(#"<row r="4"><c r="A4" t="s"/></row>"#, sharedStrings: ["<t>x</t>"])
        #expect(missing?.reason == .missingSharedStringIndex)
        #expect(missing?.cell == "A4")
        let notNumber = try refusal(#"<row r="2"><c r="A2" t="s"><v>x</v></c></row>"#, sharedStrings: ["<t>x</t>"])
        #expect(notNumber?.reason == .missingSharedStringIndex)
        let outOfRange = try refusal(#"<row r="5"><c r="A5" t="s"><v>7</v></c></row>"#, sharedStrings: ["<t>x</t>", nil])
        #expect(outOfRange?.reason == .sharedStringIndexOutOfRange(index: 7, count: 2))
        #expect(outOfRange?.cell == "A5")
        #expect(outOfRange?.description.contains("cell A5 refers to shared text #7") == true)
        let noTable = try refusal(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
        #expect(noTable?.reason == .sharedStringIndexOutOfRange(index: 0, count: 0))
    }

    @Test func aFormulaWithoutSavedResultIsRefusedRatherThanDropped() throws {
        let error = try refusal(#"<row r="3"><c r="A3"><f>A1&amp;A2</f></c></row>"#)
        #expect(error?.reason == .formulaWithoutValue)
        #expect(error?.cell == "A3")
    }

    @Test func brokenReferencesAndUnknownTypesAreRefused() throws {
        #expect(try refusal(#"<row r="1"><c r="1A"><v>1</v></c></row>"#)?.reason == .invalidCellReference("1A"))
        #expect(try refusal(#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#)?.reason == .invalidCellReference("XFE1"))
        #expect(try refusal(#"<row r="0"><c><v>1</v></c></row>"#)?.reason == .invalidCellReference("0"))
        #expect(try refusal(#"<row r="1"><c r="A1" t="q"><v>1</v></c></row>"#)?.reason == .unknownCellType("q"))
    }

    @Test func aCellLongerThanTheLimitIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("long.xlsx")
        let rows = #"<row r="1"><c r="A1" t="inlineStr"><is><t>\#(String(repeating: "1", count: 5000))</t></is></c></row>"#
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows)), to: path)
        var limits = XLSXReadLimits()
        limits.maxCellBytes = 4096
        #expect(XLSXTestReading.refusal(path, limits: limits)?.reason == .cellTooLong(4096))
        #expect(try XLSXTestReading.cells(path).first?.text.count == 5000)
    }
}
