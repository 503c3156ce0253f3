import Foundation
import Testing
@testable import GroupSMSPhoneNumbers

/// `writeJSON` streams exactly the bytes `JSONEncoder` (sorted keys, slashes unescaped) writes.
@Suite struct RecipientImportReportJSONStreamTests {
    private static func encoded(_ report: RecipientImportReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(report))
    }

    private static func streamed(_ report: RecipientImportReport) -> (bytes: [UInt8], chunks: Int) {
        var bytes: [UInt8] = []
        var chunks = 0
        report.writeJSON { chunk in
            bytes.append(contentsOf: chunk)
            chunks += 1
        }
        return (bytes, chunks)
    }

    @Test func matchesTheEncoderOnTheSampleReport() throws {
        let report = try RecipientImportReportTests.sampleReport()
        #expect(Self.streamed(report).bytes == (try Self.encoded(report)))
    }

    @Test("every character that needs escaping, and ones that must stay as they are")
    func escapesLikeTheEncoder() throws {
        var awkward = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined()
        awkward += "/\u{7F}\u{2028}\u{2029}é中\u{FEFF}😀"
        var builder = try RecipientImportBuilder()
        try builder.addFile("dir/with \"quotes\"\\ and \u{1}.xlsx", entries: [
            RecipientCellEntry(cell: "A1", value: .text(awkward + "1")),
            RecipientCellEntry(cell: "A2", value: .text("+86 131 1234 5678")),
            RecipientCellEntry(cell: "A3", value: .text("8613112345678")),
            RecipientCellEntry(cell: "A4", value: .text("+44 20 7946 0958")),
        ])
        let report = try builder.finish()
        #expect(report.invalid.count == 1 && report.duplicateEntries.count == 1 && report.warnings.count == 1)
        #expect(Self.streamed(report).bytes == (try Self.encoded(report)))
    }

    @Test("characters to escape at every offset of an eight-byte word, next to ones that stay")
    func escapesAtEveryOffset() throws {
        var values: [String] = []
        for special in ["\u{1}", "\u{1F}", "\"", "\\", "\u{7F}", "é", " ", "\n"] {
            for offset in 0..<17 {
                values.append(String(repeating: "a", count: offset) + special + String(repeating: "b", count: 16 - offset))
            }
        }
        let invalid = values.map { RecipientImportReport.InvalidEntry(file: "f.xlsx", cell: "A2", value: $0, reason: $0) }
        let report = RecipientImportReport(files: [], valid: 0, duplicates: 0, invalid: invalid,
                                           numbers: E164NumberList(e164Values: []), warnings: [], duplicateEntries: [])
        #expect(Self.streamed(report).bytes == (try Self.encoded(report)))
    }

    @Test func anEmptyReportIsOneObject() throws {
        let report = RecipientImportReport(files: [], valid: 0, duplicates: 0, invalid: [],
                                           numbers: E164NumberList(e164Values: []), warnings: [], duplicateEntries: [])
        #expect(String(decoding: Self.streamed(report).bytes, as: UTF8.self)
                == #"{"duplicateEntries":[],"duplicates":0,"files":[],"invalid":[],"numbers":[],"numbersByRegion":{},"valid":0,"warnings":[]}"#)
    }

    @Test("a large list goes out in chunks of about 64 KiB, never as one text")
    func largeListsAreChunked() throws {
        let values = (0..<100_000).map { UInt64(8613_100_000_000 + $0) }
        let report = RecipientImportReport(files: [], valid: values.count, duplicates: 0, invalid: [],
                                           numbers: E164NumberList(e164Values: values), warnings: [], duplicateEntries: [])
        let (bytes, chunks) = Self.streamed(report)
        #expect(bytes == (try Self.encoded(report)))
        #expect(chunks >= bytes.count / (RecipientImportReport.jsonChunkBytes + 4096))
        #expect(chunks > 20)
    }
}
