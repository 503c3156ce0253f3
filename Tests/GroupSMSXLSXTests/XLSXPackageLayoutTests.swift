import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// Finding the first worksheet: relationships, part names and archive formats.
@Suite struct XLSXPackageLayoutTests {
    static let sheetXML = TestWorkbook.worksheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
    static let strings = TestWorkbook.sharedStrings(["<t>13112345678</t>"])

    private func read(_ parts: [(name: String, content: String)], zip64: Bool = false) throws -> (XLSXReader, [String], TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = directory.file("book.xlsx")
        try TestWorkbook.write(parts, to: path, zip64: zip64)
        let reader = try XLSXReader(path: path)
        var texts: [String] = []
        try reader.readColumnA { texts.append($0.text) }
        return (reader, texts, directory)
    }

    private func refusal(_ parts: [(name: String, content: String)]) throws -> XLSXError? {
        let directory = try TemporaryDirectory()
        let path = directory.file("book.xlsx")
        try TestWorkbook.write(parts, to: path)
        return XLSXTestReading.refusal(path)
    }

    /// The usual parts with the workbook, its relationships and the sheet's location replaced.
    private func package(workbook: String, relationships: String, sheets: [(name: String, content: String)],
                         sharedStrings: (name: String, content: String)? = ("xl/sharedStrings.xml", strings),
                         workbookPart: String = "xl/workbook.xml") -> [(name: String, content: String)] {
        let relsPart = workbookPart.replacingOccurrences(of: "workbook.xml", with: "_rels/workbook.xml.rels")
        var parts: [(name: String, content: String)] = [
            ("_rels/.rels", TestWorkbook.relationships([("rId1", "officeDocument", workbookPart)])),
            (workbookPart, workbook), (relsPart, relationships),
        ] + sheets
        if let sharedStrings { parts.append(sharedStrings) }
        return parts
    }

    @Test func theFirstSheetInDocumentOrderIsReadWhateverItsIdOrPart() throws {
        let workbook = TestWorkbook.workbook([("Recipients", 5, "rId9"), ("Other", 1, "rId1")])
        let rels = TestWorkbook.relationships([("rId1", "worksheet", "worksheets/sheet1.xml"),
                                               ("rId9", "worksheet", "worksheets/data.xml"),
                                               ("rId3", "sharedStrings", "sharedStrings.xml")])
        let other = TestWorkbook.worksheet(#"<row r="1"><c r="C1"><v>1</v></c></row>"#)
        let (reader, texts, _) = try read(package(workbook: workbook, relationships: rels,
                                                  sheets: [("xl/worksheets/sheet1.xml", other), ("xl/worksheets/data.xml", Self.sheetXML)]))
        #expect(texts == ["13112345678"])
        #expect(reader.sheetName == "Recipients")
        #expect(reader.sheetPart == "xl/worksheets/data.xml")
    }

    @Test func theRelationshipIdIsMatchedByLocalNameWhateverThePrefix() throws {
        let workbook = TestWorkbook.workbook([("S", 1, "rIdX")], prefix: "rel")
        let rels = TestWorkbook.relationships([("rIdX", "worksheet", "worksheets/sheet1.xml"), ("rId2", "sharedStrings", "sharedStrings.xml")])
        let (_, texts, _) = try read(package(workbook: workbook, relationships: rels, sheets: [("xl/worksheets/sheet1.xml", Self.sheetXML)]))
        #expect(texts == ["13112345678"])
    }

    @Test func strictOOXMLReads() throws {
        let workbook = TestWorkbook.workbook([("S", 1, "rId1")], namespace: TestWorkbook.strictMain,
                                             relationshipNamespace: TestWorkbook.strictRelationships)
        let base = TestWorkbook.strictRelationships + "/"
        let rels = TestWorkbook.relationships([("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "sharedStrings", "sharedStrings.xml")],
                                              typeBase: base)
        let parts: [(name: String, content: String)] = [
            ("_rels/.rels", TestWorkbook.relationships([("rId1", "officeDocument", "xl/workbook.xml")], typeBase: base)),
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
            ("xl/worksheets/sheet1.xml", TestWorkbook.worksheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, namespace: TestWorkbook.strictMain)),
            ("xl/sharedStrings.xml", TestWorkbook.sharedStrings(["<t>13112345678</t>"], namespace: TestWorkbook.strictMain)),
        ]
        #expect(try read(parts).1 == ["13112345678"])
    }

    @Test func absoluteTargetsBackslashesCaseAndEscapesInPartNames() throws {
        let workbook = TestWorkbook.workbook([("S", 1, "rId1")])
        let rels = TestWorkbook.relationships([("rId1", "worksheet", #"/XL/Sheets\My%20Sheet.xml"#),
                                               ("rId2", "sharedStrings", "/xl/SharedStrings.XML")])
        let parts = package(workbook: workbook, relationships: rels, sheets: [(#"xl\sheets\my sheet.xml"#, Self.sheetXML)],
                            sharedStrings: ("XL/sharedStrings.xml", Self.strings))
        let (reader, texts, _) = try read(parts)
        #expect(texts == ["13112345678"])
        #expect(reader.sheetPart == #"xl\sheets\my sheet.xml"#, "the part's name as stored")
    }

    @Test func relativeTargetsWithDotSegmentsAndAWorkbookOutsideXl() throws {
        let workbook = TestWorkbook.workbook([("S", 1, "rId1")])
        let rels = TestWorkbook.relationships([("rId1", "worksheet", "./../data/./s.xml"), ("rId2", "sharedStrings", "strings.xml")])
        let parts = package(workbook: workbook, relationships: rels, sheets: [("data/s.xml", Self.sheetXML)],
                            sharedStrings: ("book/strings.xml", Self.strings), workbookPart: "book/workbook.xml")
        #expect(try read(parts).1 == ["13112345678"])
    }

    @Test func aChartsheetFirstIsSkippedForTheFirstWorksheet() throws {
        let workbook = TestWorkbook.workbook([("Chart", 1, "rId1"), ("Data", 2, "rId2")])
        let rels = TestWorkbook.relationships([("rId1", "chartsheet", "chartsheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet1.xml"),
                                               ("rId3", "sharedStrings", "sharedStrings.xml")])
        let (reader, texts, _) = try read(package(workbook: workbook, relationships: rels,
                                                  sheets: [("xl/chartsheets/sheet1.xml", "<chartsheet/>"), ("xl/worksheets/sheet1.xml", Self.sheetXML)]))
        #expect(texts == ["13112345678"])
        #expect(reader.sheetName == "Data")
    }

    @Test func sharedStringsFoundWithoutTheirRelationshipAndNotNeededWhenAbsent() throws {
        let workbook = TestWorkbook.workbook([("S", 1, "rId1")])
        let rels = TestWorkbook.relationships([("rId1", "worksheet", "worksheets/sheet1.xml")])
        #expect(try read(package(workbook: workbook, relationships: rels, sheets: [("xl/worksheets/sheet1.xml", Self.sheetXML)])).1
                == ["13112345678"])
        let inline = TestWorkbook.worksheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>1</t></is></c></row>"#)
        #expect(try read(package(workbook: workbook, relationships: rels, sheets: [("xl/worksheets/sheet1.xml", inline)],
                                 sharedStrings: nil)).1 == ["1"])
    }

    @Test func aPackageWithoutRootRelationshipsFallsBackToTheUsualWorkbook() throws {
        let parts = TestWorkbook.parts(sheet: Self.sheetXML, sharedStrings: Self.strings).filter { $0.name != "_rels/.rels" }
        #expect(try read(parts).1 == ["13112345678"])
    }

    @Test func missingPartsAreNamed() throws {
        let all = TestWorkbook.parts(sheet: Self.sheetXML, sharedStrings: Self.strings)
        let noSheet = try refusal(all.filter { $0.name != "xl/worksheets/sheet1.xml" })
        #expect(noSheet?.reason == .missingPart("xl/worksheets/sheet1.xml"))
        let noRels = try refusal(all.filter { $0.name != "xl/_rels/workbook.xml.rels" })
        #expect(noRels?.reason == .missingPart("xl/_rels/workbook.xml.rels"))
        let nothing = try refusal([("docProps/app.xml", "<Properties/>")])
        #expect(nothing?.reason == .missingPart("_rels/.rels"))
        let noSheets = try refusal(all.map { $0.name == "xl/workbook.xml" ? ($0.name, TestWorkbook.workbook([])) : $0 })
        #expect(noSheets?.reason == .noWorksheet)
        #expect(noSheets?.description.contains("has no worksheet") == true)
    }

    @Test func zip64ArchivesRead() throws {
        let (_, texts, _) = try read(TestWorkbook.parts(sheet: Self.sheetXML, sharedStrings: Self.strings), zip64: true)
        #expect(texts == ["13112345678"])
    }

    @Test func storedEntriesRead() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("stored.xlsx")
        let entries = TestWorkbook.parts(sheet: Self.sheetXML, sharedStrings: Self.strings)
            .map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8), deflate: false) }
        try TestZipArchive(entries: entries).write(to: path)
        #expect(try XLSXTestReading.cells(path).map(\.text) == ["13112345678"])
    }
}
