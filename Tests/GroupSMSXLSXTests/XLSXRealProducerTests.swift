import Foundation
import GroupSMSXLSX
import GroupSMSTestSupport
import Testing

/// Small workbooks saved by real producers (made by .tools/make_xlsx_fixtures.py): openpyxl 3.1.5,
/// XlsxWriter 3.3.1, LibreOffice Calc 7.4.7 and Gnumeric 1.12.55.
@Suite struct XLSXRealProducerTests {
    private static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/XLSX/\(name)", withExtension: "xlsx")).path
    }

    private static func summary(_ name: String) throws -> [String] {
        try XLSXTestReading.cells(fixture(name)).map { "\($0.reference) \($0.kind) \($0.text)" }
    }

    @Test func openpyxl() throws {
        #expect(try Self.summary("openpyxl-recipients") == [
            "A1 inlineString Phone number", "A2 inlineString 13112345678", "A3 number 8613112345678",
            "A4 inlineString +44 7700 900123", "A5 inlineString １３１１２３４５６７８", "A6 inlineString 0086 131 1234 5678",
            "A7 number 13112345678", "A9 inlineString   13112345670  ",
        ])
    }

    @Test func openpyxlFormulaWithoutResult() throws {
        let path = try Self.fixture("openpyxl-formula-without-result")
        let error = XLSXTestReading.refusal(path)
        #expect(error?.reason == .formulaWithoutValue)
        #expect(error?.cell == "A3")
    }

    @Test func xlsxWriter() throws {
        #expect(try Self.summary("xlsxwriter-recipients") == [
            "A1 sharedString Phone number", "A2 sharedString +86 131 1234 5678", "A3 number 8613112345678",
            "A4 sharedString +44 7700 900123", "A5 formulaString +1 415 555 0123", "A6 boolean 1",
            "A7 sharedString tab\there_x0041_", "A8 number 13112345678",
        ])
    }

    @Test func xlsxWriterConstantMemoryWithAStrayNote() throws {
        let path = try Self.fixture("xlsxwriter-constant-memory")
        var seen: [String] = []
        let error = #expect(throws: XLSXError.self) { try XLSXReader(path: path).readColumnA { seen.append($0.text) } }
        #expect(error?.cell == "C5")
        #expect(error?.description.hasSuffix("cell C5 has content (\"stray note\"); put numbers in column A of the first sheet only") == true)
        #expect(seen == ["Phone number", "13112345671", "13112345672", "13112345673", "13112345674"])
    }

    @Test func libreOffice() throws {
        let expected = [
            "A1 sharedString Phone number", "A2 sharedString 13112345678", "A3 number 8613112345678",
            "A4 formulaString +8613112345679", "A5 sharedString +44 7700 900123", "A6 sharedString 电话 131-1234-5678",
        ]
        #expect(try Self.summary("libreoffice-recipients") == expected)
        #expect(XLSXTestReading.refusal(try Self.fixture("libreoffice-note-in-d9"))?.cell == "D9")
    }

    @Test func gnumericPrettyPrintedInlineStrings() throws {
        #expect(try Self.summary("gnumeric-recipients") == [
            "A1 inlineString Phone number", "A2 inlineString 13112345678", "A3 number 8613112345678",
            "A4 formulaString +8613112345679", "A5 inlineString +44 7700 900123", "A6 inlineString 电话 131-1234-5678",
        ])
    }

    @Test func theSampleRecipientFileReads() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Samples/recipients.xlsx").standardized.path
        let cells = try XLSXTestReading.cells(sample)
        #expect(cells.first?.text == "Phone number")
        #expect(cells.count >= 40)
        #expect(cells.contains { $0.kind == .number }, "the sample has a numeric cell")
        #expect(Set(cells.map(\.column)) == [1])
    }
}
