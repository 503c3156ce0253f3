import Foundation
import GroupSMSTestSupport
import GroupSMSXLSX
import Testing

/// The rows of a variable-columns read are assembled by a task of their own and handed over in
/// row batches: order, a refusal after the rows before it, and a caller's error stopping it all.
@Suite struct XLSXRowStageTests {
    /// Row 1 the header, then `rows` rows of a number and a name; `tail` after the last row.
    private func workbook(_ directory: TemporaryDirectory, rows: Int, tail: String = "") throws -> String {
        let body = (2...rows + 1).map { row in
            #"<row r="\#(row)"><c r="A\#(row)"><v>\#(8_613_100_000_000 + row)</v></c>"#
                + #"<c r="B\#(row)" t="inlineStr"><is><t>n\#(row)</t></is></c></row>"#
        }.joined()
        let header = #"<row r="1"><c r="A1" t="inlineStr"><is><t>Phone</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>"#
        let path = directory.file("rows-\(rows).xlsx")
        try TestWorkbook.write(TestWorkbook.parts(sheet: TestWorkbook.worksheet(header + body + tail)), to: path)
        return path
    }

    @Test func rowsComeInSheetOrderAcrossManyBatchesThenTheRefusal() async throws {
        let directory = try TemporaryDirectory()
        // 5,000 rows: several row batches; then a cell out of order, refused after them all.
        let path = try workbook(directory, rows: 5_000, tail: #"<row r="3"><c r="A3"><v>1</v></c></row>"#)
        let result = await XLSXTestReading.rows(path)
        #expect(result.rows.count == 5_000)
        #expect(result.rows.map { $0[0].reference } == (2...5_001).map { "A\($0)" })
        #expect(result.rows.last?.last?.text == "n5001")
        #expect(result.error?.reason == .cellOutOfOrder)
        #expect(result.error?.cell == "A3")
    }

    @Test func anErrorFromTheCallerStopsTheRowsAndTheScan() async throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory()
        let path = try workbook(directory, rows: 20_000)
        var seen = 0
        await #expect(throws: Stop.self) {
            try await XLSXReader.readRowsBytes(paths: [path]) { event in
                guard case .row = event else { return }
                seen += 1
                if seen == 1_500 { throw Stop() }
            }
        }
        #expect(seen == 1_500, "no row after the caller stopped")
    }

    /// Writes down the row numbers it is given, sealing them as one array.
    private final class RowNumbers: XLSXRowAnnotator {
        private var rows: [Int] = []
        func add(_ row: XLSXRowBytes) { rows.append(row.row) }
        func seal() -> any Sendable {
            defer { rows = [] }
            return rows
        }
    }

    @Test func eachRunOfRowsComesAfterWhatTheAnnotatorMadeOfIt() async throws {
        let directory = try TemporaryDirectory()
        let path = try workbook(directory, rows: 7_000)
        var annotated: [Int] = [], next = 0, runs = 0, rows = 0
        try await XLSXReader.readRowsBytes(paths: [path], annotating: { RowNumbers() },
                                           annotations: { annotation in
                                               #expect(next == annotated.count, "a run ends before the next is announced")
                                               annotated = annotation as? [Int] ?? []
                                               next = 0
                                               runs += 1
                                           }) { event in
            guard case .row(_, let row) = event else { return }
            #expect(next < annotated.count && annotated[next] == row.row)
            next += 1
            rows += 1
        }
        #expect(rows == 7_000)
        #expect(runs > 2, "several runs of rows: \(runs)")
    }
}
