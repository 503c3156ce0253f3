import Foundation
@testable import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

@Suite struct XLSXWriterTests {
    @Test(arguments: [XLSXStringStorage.inline, .shared])
    func roundTripGivesBackTheSameStrings(_ storage: XLSXStringStorage) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("numbers.xlsx")
        let values = [
            "+8613112345678", "013112345678", "0086 131 1234 5678", "１３１１２３４５６７８",
            "  leading and trailing  ", "电话 13112345678", "emoji 📱 +447700900123",
            "tab\there", "line\nbreak", "carriage\r\nreturn", "bell\u{7}null\u{0}esc\u{1B}",
            "_x0041_ stays literal", "_x005F_ too", "a & b < c > d \"quoted\" 'single'",
            "\u{FFFE}\u{FFFF} nonchars", "13112345678",
        ]
        try XLSXWriter(sheets: [.textColumn(name: "Numbers", header: "Phone number", values + values)],
                       stringStorage: storage).write(to: path)

        let cells = try XLSXTestReading.cells(path)
        #expect(cells.map(\.text) == ["Phone number"] + values + values)
        #expect(cells.map(\.reference) == (1...2 * values.count + 1).map { "A\($0)" })
        #expect(cells.allSatisfy { $0.kind == (storage == .shared ? .sharedString : .inlineString) })
        let strings = try? XLSXTestParts.text(of: "xl/sharedStrings.xml", in: path)
        #expect((strings != nil) == (storage == .shared))
        #expect(strings?.contains(#"count="33" uniqueCount="17""#) ?? true)
    }

    @Test func controlCharactersAreWrittenAsEscapes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("escapes.xlsx")
        try XLSXWriter(sheets: [.textColumn(name: "Numbers", ["a\u{1}b\rc", "_x0041_", " padded "])]).write(to: path)
        let sheet = try XLSXTestParts.text(of: "xl/worksheets/sheet1.xml", in: path)
        #expect(sheet.contains("<is><t>a_x0001_b_x000D_c</t></is>"))
        #expect(sheet.contains("<t>_x005F_x0041_</t>"))
        #expect(sheet.contains(#"<t xml:space="preserve"> padded </t>"#))
        #expect(!sheet.contains("\u{1}"))
    }

    @Test func firstSheetHoldsTextCellsWithTextFormatAndNoNumberAsTextWarning() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("text.xlsx")
        try XLSXWriter(sheets: [.textColumn(name: "Numbers", ["13112345678", "8613112345678"])]).write(to: path)
        let sheet = try XLSXTestParts.text(of: "xl/worksheets/sheet1.xml", in: path)
        let styles = try XLSXTestParts.text(of: "xl/styles.xml", in: path)
        #expect(sheet.contains(#"<c r="A1" s="1" t="inlineStr"><is><t>13112345678</t></is></c>"#))
        #expect(sheet.contains(#"<col min="1" max="1" width="15" style="1" customWidth="1"/>"#))
        #expect(sheet.contains(#"<ignoredError sqref="A1:A2" numberStoredAsText="1"/>"#))
        #expect(styles.contains(#"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#))
    }

    @Test func detailSheetsHaveAHeaderRowAndSeveralColumns() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("failed.xlsx")
        let details = XLSXSheet(
            name: "Details",
            header: ["number", "class", "stage", "code", "description", "suggestion", "time"],
            rows: [[.text("+8613112345678"), .text("retryable"), .text("report"), .text("UNDELIV"),
                    .text("Not delivered"), .text("Send again later"), .text("2026-12-01T09:00:00+08:00")],
                   [.text("+447700900123"), .text(""), .number("42")]])
        try XLSXWriter(sheets: [.textColumn(name: "Numbers", ["+8613112345678"]), details]).write(to: path)

        let workbook = try XLSXTestParts.text(of: "xl/workbook.xml", in: path)
        #expect(workbook.contains(#"<sheet name="Numbers" sheetId="1" r:id="rId1"/><sheet name="Details" sheetId="2" r:id="rId2"/>"#))
        let sheet = try XLSXTestParts.text(of: "xl/worksheets/sheet2.xml", in: path)
        #expect(sheet.contains(#"<c r="A1" s="2" t="inlineStr">"#), "header cells use the bold text style")
        #expect(sheet.contains(#"<c r="G2" s="1" t="inlineStr">"#))
        #expect(sheet.contains(#"<c r="C3"><v>42</v></c>"#))
        #expect(!sheet.contains(#"r="B3""#), "empty text leaves the cell out")
        #expect(sheet.contains(#"state="frozen""#))
        #expect(try XLSXTestReading.cells(path).map(\.text) == ["+8613112345678"])
    }

    @Test func numbersAreWrittenAsNumericCellsWithTheirExactText() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("numbers.xlsx")
        let sheet = XLSXSheet(name: "Numbers", rows: [[.number("8613112345678")], [.number("1.3112345678E10")], [.number("-0.5")]])
        try XLSXWriter(sheets: [sheet]).write(to: path)
        let cells = try XLSXTestReading.cells(path)
        #expect(cells.map(\.text) == ["8613112345678", "1.3112345678E10", "-0.5"])
        #expect(cells.allSatisfy { $0.kind == .number })
    }

    @Test func writtenPackagesHaveNoZip64Records() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("plain.xlsx")
        try XLSXWriter(sheets: [.textColumn(name: "Numbers", (0..<2000).map { "+86131\($0)" })]).write(to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let zip64EndRecord: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
        let zip64Locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
        #expect(bytes.firstRange(of: zip64EndRecord) == nil)
        #expect(bytes.firstRange(of: zip64Locator) == nil)
        // Local headers: version needed 20 (not 45), no extra field (which would hold Zip64 sizes).
        #expect(bytes[4] == 20 && bytes[28] == 0 && bytes[29] == 0)
        #expect(String(decoding: bytes[30..<49], as: UTF8.self) == "[Content_Types].xml", "written first, as Excel does")
    }

    @Test(arguments: ["", "   ", "a/b", "what?", "[x]", "a:b", "star*", "back\\slash", "'quoted'", "History",
                      String(repeating: "x", count: 32)])
    func invalidSheetNamesAreRefused(_ name: String) throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: XLSXError.self) {
            try XLSXWriter(sheets: [.textColumn(name: name, ["1"])]).write(to: directory.file("bad.xlsx"))
        }
        guard case .invalidSheetName(let refused, _)? = error?.reason else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(refused == name)
        #expect(error?.path == directory.file("bad.xlsx"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("bad.xlsx")))
    }

    @Test func duplicateSheetNamesAreRefusedIgnoringCase() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: XLSXError.self) {
            try XLSXWriter(sheets: [.textColumn(name: "Numbers", ["1"]), .textColumn(name: "NUMBERS", ["2"])])
                .write(to: directory.file("bad.xlsx"))
        }
    }

    @Test func valuesExcelCannotHoldAreRefusedNamingTheCell() throws {
        let directory = try TemporaryDirectory()
        let tooLong = XLSXSheet(name: "S", rows: [[.text("ok")], [.text("ok"), .text(String(repeating: "9", count: 32_768))]])
        let error = #expect(throws: XLSXError.self) { try XLSXWriter(sheets: [tooLong]).write(to: directory.file("a.xlsx")) }
        #expect(error?.cell == "B2")
        let notNumber = XLSXSheet(name: "S", rows: [[.number("12abc")]])
        let second = #expect(throws: XLSXError.self) { try XLSXWriter(sheets: [notNumber]).write(to: directory.file("b.xlsx")) }
        #expect(second?.cell == "A1")
        #expect(throws: XLSXError.self) { try XLSXWriter(sheets: []).write(to: directory.file("c.xlsx")) }
    }

    @Test func anUnwritableFolderIsAClearError() {
        let error = #expect(throws: XLSXError.self) {
            try XLSXWriter(sheets: [.textColumn(name: "N", ["1"])]).write(to: "/nonexistent-folder/out.xlsx")
        }
        #expect(error?.path == "/nonexistent-folder/out.xlsx")
        #expect(error?.description.contains("could not be written") == true)
    }

    @Test func decimalGrammar() {
        for good in ["0", "8613112345678", "-1", "1.5", "1.23456789012346E+017", "5.0E10", "1e-3"] {
            #expect(XLSXWriterParts.isDecimal(good), "\(good)")
        }
        for bad in ["", "-", "1.", ".5", "1e", "1E+", "+1", "1 2", "0x10", "1,5", "NaN"] {
            #expect(!XLSXWriterParts.isDecimal(bad), "\(bad)")
        }
    }
}

/// Reads parts of a written package for assertions about its XML.
enum XLSXTestParts {
    static func text(of part: String, in path: String) throws -> String {
        let descriptor = open(path, O_RDONLY)
        let archive = try ZipArchive(fileDescriptor: descriptor, path: path, maxEntries: 100)
        let stream = try archive.open(part, maxBytes: 1 << 26)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
