import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// Only column A of the first worksheet may hold anything.
@Suite struct XLSXColumnATests {
    private func write(_ rows: String, sharedStrings: [String?]? = nil) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.file("recipients.xlsx")
        let strings = sharedStrings.map { TestWorkbook.sharedStrings($0) }
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(rows), sharedStrings: strings), to: path)
        return (directory, path)
    }

    @Test func theFirstNonEmptyCellOutsideColumnAIsNamed() throws {
        let rows = (1...9).map { row in
            row == 7 ? #"<row r="7"><c r="A7"><v>13112345678</v></c><c r="B7" t="inlineStr"><is><t>note</t></is></c><c r="C7"><v>1</v></c></row>"#
                : #"<row r="\#(row)"><c r="A\#(row)"><v>1311234567\#(row)</v></c><c r="B\#(row)" s="2"/></row>"#
        }.joined()
        let (directory, path) = try write(rows)
        var seen: [String] = []
        let error = #expect(throws: XLSXError.self) {
            try XLSXReader(path: path).readColumnA { seen.append($0.reference) }
        }
        #expect(error?.cell == "B7")
        #expect(error?.reason == .contentOutsideColumnA("\"note\""))
        #expect(error?.description == "\(path): cell B7 has content (\"note\"); put numbers in column A of the first sheet only")
        #expect(seen == ["A1", "A2", "A3", "A4", "A5", "A6", "A7"], "cells before the refusal were yielded")
        _ = directory
    }

    @Test(arguments: [
        (#"<c r="C2"><v>0</v></c>"#, "C2"),
        (#"<c r="B2" t="s"><v>0</v></c>"#, "B2"),
        (#"<c r="AA2" t="b"><v>0</v></c>"#, "AA2"),
        (#"<c r="B2" t="e"><v>#N/A</v></c>"#, "B2"),
        (#"<c r="B2"><f>1+1</f></c>"#, "B2"),
        (#"<c r="XFD2" t="str"><f>"x"</f><v>x</v></c>"#, "XFD2"),
        (#"<c r="b2" t="inlineStr"><is><t> </t></is></c>"#, "B2"),
    ])
    func anyKindOfContentOutsideColumnAIsRefused(_ cell: String, _ reference: String) throws {
        let (directory, path) = try write(#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2">\#(cell)</row>"#,
                                          sharedStrings: ["<t>x</t>"])
        #expect(XLSXTestReading.refusal(path)?.cell == reference)
        _ = directory
    }

    @Test func emptyValuesOutsideColumnAAreNotContent() throws {
        let rows = """
        <row r="1"><c r="A1"><v>1</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t></t></is></c>\
        <c r="D1"><v></v></c><c r="E1" t="str"><f>""</f><v></v></c><c r="F1" s="7"/></row>
        """
        let (directory, path) = try write(rows, sharedStrings: ["<t>x</t>", nil])
        #expect(try XLSXTestReading.cells(path).map(\.text) == ["1"])
        _ = directory
    }

    @Test func laterSheetsMayHoldAnything() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("two-sheets.xlsx")
        try XLSXWriter(sheets: [
            .textColumn(name: "Numbers", ["13112345678"]),
            XLSXSheet(name: "Notes", header: ["a", "b", "c"], rows: [[.text("x"), .text("y"), .number("3")]]),
        ]).write(to: path)
        #expect(try XLSXTestReading.cells(path).map(\.text) == ["13112345678"])
    }

    @Test func anErrorThrownByTheCallerIsPassedThrough() throws {
        struct Stop: Error {}
        let (directory, path) = try write(#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>"#)
        var count = 0
        #expect(throws: Stop.self) {
            try XLSXReader(path: path).readColumnA { _ in
                count += 1
                throw Stop()
            }
        }
        #expect(count == 1)
        _ = directory
    }
}
