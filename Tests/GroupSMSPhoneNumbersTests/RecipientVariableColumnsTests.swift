import Foundation
import GroupSMSModel
import GroupSMSTestSupport
import GroupSMSXLSX
import Testing
@testable import GroupSMSPhoneNumbers

/// Importing a workbook whose columns B, C, ... hold each recipient's template values (SPEC §7):
/// the same rules as `--param` per row, bad rows as invalid entries, duplicates keep their first
/// row, and each distinct tuple of values stored once.
@Suite struct RecipientVariableColumnsTests {
    static let template = try! MessageTemplate(
        id: "tmplParcel", text: "Hi ${TXT_5}, parcel ${NUM_6} arrives ${DATE} at ${TIME}", kind: .notification,
        region: .international)

    static func inline(_ reference: String, _ text: String) -> String {
        #"<c r="\#(reference)" t="inlineStr"><is><t>\#(text)</t></is></c>"#
    }

    static let header = "<row r=\"1\">" + [("A1", "Phone"), ("B1", "Name"), ("C1", "${NUM_6}"), ("D1", "Day"), ("E1", "Time")]
        .map { inline($0.0, $0.1) }.joined() + "</row>"

    /// Writes one workbook of `rows` (after the standard header unless `header` is given).
    static func workbook(_ directory: TemporaryDirectory, _ name: String = "personal.xlsx", header: String = header,
                         rows: String, styles: String? = nil) throws -> String {
        let path = directory.file(name)
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(header + rows), styles: styles), to: path)
        return path
    }

    private func importing(_ paths: [String], variables: RecipientVariableColumns = .init(template: template))
        async throws -> RecipientImportReport {
        try await RecipientImportBuilder.importWorkbooksWithVariables(paths, variables: variables)
    }

    /// Styles: s=1 a date (built-in 14), s=2 a time (built-in 20).
    static let dateStyles = TestWorkbook.styles(cellFormats: [0, 14, 20])

    @Test func eachNumberKeepsItsOwnValues() async throws {
        let directory = try TemporaryDirectory()
        let rows = """
            <row r="2">\(Self.inline("A2", "+8613112345671"))\(Self.inline("B2", "Ann"))<c r="C2"><v>123456</v></c>\
            \(Self.inline("D2", "2026/07/16"))\(Self.inline("E2", "14:30"))</row>\
            <row r="3"><c r="A3"><v>13112345672</v></c>\(Self.inline("B3", "Bob"))<c r="C3"><v>1.2E1</v></c>\
            <c r="D3" s="1"><v>46219</v></c><c r="E3" s="2"><v>0.6041666666666666</v></c></row>\
            <row r="4"><c r="A4"><v>13112345673</v></c>\(Self.inline("B4", "Ann"))<c r="C4"><v>123456</v></c>\
            <c r="D4" s="2"><v>46219.25</v></c><c r="E4" s="1"><v>46219.6041666667</v></c></row>
            """
        let report = try await importing([try Self.workbook(directory, rows: rows, styles: Self.dateStyles)])
        #expect(report.invalid.isEmpty)
        #expect(Array(report.numbers) == ["+8613112345671", "+8613112345672", "+8613112345673"])
        let variables = try #require(report.variables)
        #expect(variables.header == ["Name", "${NUM_6}", "Day", "Time"])
        #expect(variables.values(ofNumberAt: 0) == ["Ann", "123456", "2026/07/16", "14:30"])
        #expect(variables.values(ofNumberAt: 1) == ["Bob", "12", "2026/07/16", "14:30"], "a numeric cell as its exact digits")
        // Dates follow the variable they sit under, whatever the cell's format shows.
        #expect(variables.values(ofNumberAt: 2) == ["Ann", "123456", "2026/07/16", "14:30"])
        #expect(variables.valueSets.count == 2, "identical tuples are stored once")
        #expect(variables.valueSetIndices == [0, 1, 0])
    }

    @Test func aBadValueMakesItsRowInvalidAndNamesTheCell() async throws {
        let directory = try TemporaryDirectory()
        func good(_ row: Int) -> String { "\(Self.inline("D\(row)", "2026/07/16"))\(Self.inline("E\(row)", "14:30"))" }
        let rows = """
            <row r="2"><c r="A2"><v>13112345671</v></c>\(Self.inline("B2", "Ann"))<c r="C2"><v>1234567</v></c>\(good(2))</row>\
            <row r="3"><c r="A3"><v>13112345672</v></c>\(Self.inline("B3", "Annabel"))<c r="C3"><v>1</v></c>\(good(3))</row>\
            <row r="4"><c r="A4"><v>13112345673</v></c>\(Self.inline("B4", "Cy"))<c r="C4"><v>1</v></c>\
            \(Self.inline("D4", "2026/02/30"))\(Self.inline("E4", "14:30"))</row>\
            <row r="5"><c r="A5"><v>13112345674</v></c><c r="C5"><v>1</v></c>\(good(5))</row>\
            <row r="6"><c r="A6"><v>13112345675</v></c>\(Self.inline("B6", "a{b}"))<c r="C6"><v>1</v></c>\(good(6))</row>\
            <row r="7"><c r="A7"><v>13112345676</v></c>\(Self.inline("B7", "Di"))<c r="C7" t="e"><v>#N/A</v></c>\(good(7))</row>\
            <row r="8">\(Self.inline("A8", "not a number"))\(Self.inline("B8", "Ed"))</row>\
            <row r="9">\(Self.inline("B9", "Fay"))<c r="C9"><v>1</v></c></row>\
            <row r="10"><c r="A10"><v>13112345679</v></c>\(Self.inline("B10", "Gus"))<c r="C10"><v>7</v></c>\(good(10))</row>
            """
        let report = try await importing([try Self.workbook(directory, rows: rows)])
        let listed = report.invalid.map { "\($0.cell) \($0.value) | \($0.reason)" }
        #expect(listed == [
            "C2 1234567 | parameter 2 \"1234567\" does not fit ${NUM_6}: at most 6 digits",
            "B3 Annabel | parameter 1 \"Annabel\" does not fit ${TXT_5}: at most 5 characters",
            "D4 2026/02/30 | parameter 3 \"2026/02/30\" does not fit ${DATE}: no such day: February 2026 has 28 days",
            "B5  | parameter 1 \"\" does not fit ${TXT_5}: must not be empty",
            "B6 a{b} | parameter 1 \"a{b}\" does not fit ${TXT_5}: must not contain { or }",
            "C7 #N/A | the cell holds the error #N/A; put the value itself in the cell",
            "A8 not a number | " + (report.invalid.first { $0.cell == "A8" }?.reason ?? ""),
            "A9  | " + RecipientImportBuilder.rowWithoutNumber,
        ])
        #expect(Array(report.numbers) == ["+8613112345679"])
        #expect(report.variables?.values(ofNumberAt: 0) == ["Gus", "7", "2026/07/16", "14:30"])
        #expect(report.files.map(\.rows) == [9] && report.files.map(\.invalid) == [8] && report.files.map(\.valid) == [1])
    }

    @Test func aRepeatedNumberKeepsItsFirstRowAndNamesBothCells() async throws {
        let directory = try TemporaryDirectory()
        func row(_ number: Int, _ phone: String, _ name: String, code: String = "1") -> String {
            "<row r=\"\(number)\">\(Self.inline("A\(number)", phone))\(Self.inline("B\(number)", name))<c r=\"C\(number)\"><v>\(code)</v></c>" +
                "\(Self.inline("D\(number)", "2026/07/16"))\(Self.inline("E\(number)", "09:00"))</row>"
        }
        let rows = row(2, "+8613112345671", "Ann") + row(3, "+86 131 1234 5672", "Bob", code: "1234567")
            + row(4, "013112345671", "Other") + row(5, "13112345672", "Bob")
        let report = try await importing([try Self.workbook(directory, rows: rows)])
        #expect(report.duplicateEntries.map { "\($0.cell)→\($0.firstCell)" } == ["A4→A2"])
        #expect(report.invalid.map(\.cell) == ["C3"], "row 3's bad value does not claim its number")
        #expect(Array(report.numbers) == ["+8613112345671", "+8613112345672"])
        #expect(report.variables?.values(ofNumberAt: 0).first == "Ann", "the first row's values are kept")
        #expect(report.variables?.values(ofNumberAt: 1).first == "Bob")
    }

    /// Rows are filed in groups (so that their index lookups overlap); over several groups the
    /// lists, the duplicates and the order of the value tuples are those of one row at a time.
    @Test func manyRowsOfEveryKindKeepTheirOrderAcrossFilingGroups() async throws {
        let directory = try TemporaryDirectory()
        var rows = "", invalid: [String] = [], duplicates: [String] = [], kept: [String] = []
        for row in 2...60 {
            let values = "\(Self.inline("D\(row)", "2026/07/16"))\(Self.inline("E\(row)", "09:00"))"
            let name = "N\(row % 4)"
            switch row {
            case _ where row % 7 == 0:
                rows += "<row r=\"\(row)\">\(Self.inline("B\(row)", name))</row>"
                invalid.append("A\(row)")
            case _ where row % 5 == 0:
                rows += "<row r=\"\(row)\"><c r=\"A\(row)\"><v>131123456\(String(format: "%02d", row))</v></c>\(Self.inline("B\(row)", name))" +
                    "<c r=\"C\(row)\"><v>1234567</v></c>\(values)</row>"
                invalid.append("C\(row)")
            case _ where row % 11 == 0:
                rows += "<row r=\"\(row)\">\(Self.inline("A\(row)", "no number"))\(Self.inline("B\(row)", name))</row>"
                invalid.append("A\(row)")
            default:
                // Every third row repeats the number of row 2.
                let phone = row % 3 == 0 ? "13112345602" : "131123456\(String(format: "%02d", row))"
                rows += "<row r=\"\(row)\"><c r=\"A\(row)\"><v>\(phone)</v></c>\(Self.inline("B\(row)", name))" +
                    "<c r=\"C\(row)\"><v>\(row % 2)</v></c>\(values)</row>"
                if row % 3 == 0 { duplicates.append("A\(row)→A2") } else { kept.append(name + " \(row % 2)") }
            }
        }
        let report = try await importing([try Self.workbook(directory, rows: rows)])
        #expect(report.invalid.map(\.cell) == invalid)
        #expect(report.duplicateEntries.map { "\($0.cell)→\($0.firstCell)" } == duplicates)
        let variables = try #require(report.variables)
        #expect((0..<report.valid).map { variables.values(ofNumberAt: $0).prefix(2).joined(separator: " ") } == kept)
        #expect(variables.valueSets.count == Set(kept).count, "each distinct tuple once, in order of first use")
        #expect(report.files.map(\.rows) == [59])
    }

    /// Numbers are normalised on the task that assembles the rows: over many row batches (and
    /// two files) the report is the one a builder given each row in turn, normalising its own
    /// numbers, makes.
    @Test func numbersNormalisedBesideTheFilingGiveTheReportOfOneRowAtATime() async throws {
        let directory = try TemporaryDirectory()
        let paths = try (0..<2).map { file in
            let rows = (2...4_001).map { row in
                let phone = row % 9 == 0 ? "abc\(row)" : "+86 131 \(String(format: "%08d", (row * 7 + file * 3_000) % 6_000))"
                return "<row r=\"\(row)\">\(Self.inline("A\(row)", phone))\(Self.inline("B\(row)", "N\(row % 13)"))"
                    + "<c r=\"C\(row)\"><v>\(row % 3 == 0 ? 1_234_567 : row)</v></c>\(Self.inline("D\(row)", "2026/07/16"))"
                    + "\(Self.inline("E\(row)", "09:00"))</row>"
            }.joined()
            return try Self.workbook(directory, "f\(file).xlsx", rows: rows)
        }
        let report = try await importing(paths)
        var builder = RecipientImportBuilder(normalizer: try PhoneNumberNormalizer(), variables: .init(template: Self.template))
        for path in paths {
            var date1904 = false
            try await XLSXReader.readRowsBytes(paths: [path]) { event in
                switch event {
                case .header(_, let header):
                    try builder.beginFile(path)
                    date1904 = header.date1904
                    try builder.addHeader(cells: header.cells.map { RecipientCellEntry(cell: $0.reference, value: RecipientCellValue($0)) })
                case .row(_, let row):
                    let number = row.cell(column: 1).map { RecipientCellBytes(kind: .init($0.kind), bytes: $0.text) }
                    try builder.addRow(row: row.row, number: number) { index, variable in
                        RecipientValueCell.text(of: row.cell(column: index + 2), variable: variable, date1904: date1904)
                    }
                case .endOfFile: try builder.endFile()
                }
            }
        }
        let expected = try builder.finish()
        #expect(report == expected)
        #expect(report.files.map(\.rows) == [4_000, 4_000])
        #expect(report.invalid.count > 800 && report.duplicates > 1_000)
    }

    @Test func theHeaderMustNameOneColumnPerVariable() async throws {
        let directory = try TemporaryDirectory()
        let header = "<row r=\"1\">\(Self.inline("A1", "Phone"))\(Self.inline("B1", "Name"))\(Self.inline("C1", "Code"))</row>"
        let path = try Self.workbook(directory, header: header, rows: "<row r=\"2\"><c r=\"A2\"><v>13112345671</v></c></row>")
        await #expect(throws: PhoneNumberError.variableColumnCount(
            file: path, headerCells: ["B1 \"Name\"", "C1 \"Code\""], templateID: "tmplParcel",
            placeholders: ["${TXT_5}", "${NUM_6}", "${DATE}", "${TIME}"])) {
            try await importing([path])
        }
        let message = PhoneNumberError.variableColumnCount(file: "p.xlsx", headerCells: ["B1 \"Name\"", "C1 \"Code\""],
                                                           templateID: "T", placeholders: ["${TXT_5}"]).description
        #expect(message == "p.xlsx: the header has 2 value columns (B1 \"Name\", C1 \"Code\") but template T has 1 variable " +
            "(${TXT_5}); give one column per variable, in order, in B1, C1, ...")
    }

    @Test func aNumberInA1MeansTheHeaderIsMissing() async throws {
        let directory = try TemporaryDirectory()
        let header = "<row r=\"1\"><c r=\"A1\"><v>8613112345671</v></c>\(Self.inline("B1", "Ann"))</row>"
        let path = try Self.workbook(directory, header: header, rows: "")
        await #expect(throws: PhoneNumberError.numberInHeader(file: path, cell: "A1", value: "8613112345671")) {
            try await importing([path], variables: .init(uncheckedTemplateID: "T"))
        }
    }

    @Test func anUncheckedTemplateTakesItsCountFromTheFirstFile() async throws {
        let directory = try TemporaryDirectory()
        let two = "<row r=\"1\">\(Self.inline("A1", "Phone"))\(Self.inline("B1", "x"))\(Self.inline("C1", "y"))</row>"
        let one = "<row r=\"1\">\(Self.inline("A1", "Phone"))\(Self.inline("B1", "x"))</row>"
        let first = try Self.workbook(directory, "a.xlsx", header: two,
                                      rows: "<row r=\"2\"><c r=\"A2\"><v>13112345671</v></c>\(Self.inline("B2", "any length is fine"))\(Self.inline("C2", "{}"))</row>" +
                                          "<row r=\"3\"><c r=\"A3\"><v>13112345672</v></c>\(Self.inline("B3", "v"))\(Self.inline("C3", "w"))</row>")
        let report = try await importing([first], variables: .init(uncheckedTemplateID: "T"))
        #expect(report.invalid.map(\.reason) == ["parameter 2 \"{}\" cannot be sent: must not contain { or }"])
        #expect(report.variables?.values(ofNumberAt: 0) == ["v", "w"])
        let second = try Self.workbook(directory, "b.xlsx", header: one, rows: "<row r=\"2\"><c r=\"A2\"><v>13112345673</v></c></row>")
        await #expect(throws: PhoneNumberError.variableColumnsDiffer(file: second, headerCells: ["B1 \"x\""], firstFile: first,
                                                                     firstCount: 2)) {
            try await importing([first, second], variables: .init(uncheckedTemplateID: "T"))
        }
    }

    @Test func numbersAcrossFilesDeduplicateWithTheirValues() async throws {
        let directory = try TemporaryDirectory()
        let header = "<row r=\"1\">\(Self.inline("A1", "Phone"))\(Self.inline("B1", "x"))</row>"
        let first = try Self.workbook(directory, "a.xlsx", header: header,
                                      rows: "<row r=\"2\"><c r=\"A2\"><v>13112345671</v></c>\(Self.inline("B2", "one"))</row>")
        let second = try Self.workbook(directory, "b.xlsx", header: header,
                                       rows: "<row r=\"2\"><c r=\"A2\"><v>13112345671</v></c>\(Self.inline("B2", "two"))</row>" +
                                           "<row r=\"3\"><c r=\"A3\"><v>13112345672</v></c>\(Self.inline("B3", "one"))</row>")
        let report = try await importing([first, second], variables: .init(uncheckedTemplateID: "T"))
        #expect(report.duplicateEntries.map { "\($0.file.hasSuffix("b.xlsx")) \($0.cell) \($0.firstFile.hasSuffix("a.xlsx")) \($0.firstCell)" }
            == ["true A2 true A2"])
        #expect(report.variables?.valueSetIndices == [0, 0])
        #expect(report.variables?.valueSets.count == 1)
    }

    @Test func theReportEncodesTheValuesAndStreamsTheSameBytes() async throws {
        let directory = try TemporaryDirectory()
        let header = "<row r=\"1\">\(Self.inline("A1", "Phone"))\(Self.inline("B1", "Na\"me"))</row>"
        let path = try Self.workbook(directory, header: header,
                                     rows: "<row r=\"2\"><c r=\"A2\"><v>13112345671</v></c>\(Self.inline("B2", "Zoë \\ 1"))</row>" +
                                         "<row r=\"3\"><c r=\"A3\"><v>13112345672</v></c>\(Self.inline("B3", "Zoë \\ 1"))</row>")
        let report = try await importing([path], variables: .init(uncheckedTemplateID: "T"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encoded = try encoder.encode(report)
        var streamed: [UInt8] = []
        report.writeJSON { streamed.append(contentsOf: $0) }
        #expect(streamed == Array(encoded))
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""variables":{"header":["Na\"me"],"values":[["Zoë \\ 1"],["Zoë \\ 1"]]}"#))
        #expect(try JSONDecoder().decode(RecipientImportReport.self, from: encoded) == report)
    }
}

@Suite struct ExactDecimalTests {
    private func text(_ stored: String) -> String? {
        var copy = stored
        return copy.withUTF8 { ExactDecimal.text($0) }
    }

    @Test(arguments: [
        ("123456", "123456"), ("0", "0"), ("007", "7"), ("1.23456E5", "123456"), ("1.3112345678E10", "13112345678"),
        ("8.613112345678E+12", "8613112345678"), ("12.5", "12.5"), ("0.30000000000000004", "0.30000000000000004"),
        ("1E-3", "0.001"), ("-2.50", "-2.5"), ("-0", "0"), ("2.5E-1", "0.25"), ("1.0", "1"), (".5", "0.5"),
        ("12345678901234567890123", "12345678901234567890123"),
    ])
    func storedNumbersAsTheirExactDecimal(stored: String, shown: String) {
        #expect(text(stored) == shown)
    }

    @Test(arguments: ["", "abc", "1E", "1.2.3", "1E500", "--1", "1 2"])
    func textThatIsNotANumber(stored: String) {
        #expect(text(stored) == nil)
    }
}
