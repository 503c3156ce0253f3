import Testing
@testable import GroupSMSCore

/// `addColumnA(row:value:)` (bytes, the import's hot path) files every entry as `add(cell:value:)` does.
@Suite struct RecipientImportBuilderBytesTests {
    private static let entries: [(row: Int, value: RecipientCellValue)] = [
        (1, .text("Phone number")),
        (2, .text("+86 131 1234 5678")),
        (3, .text("８６１３１１２３４５６７８")),        // full-width: the common-Unicode path
        (4, .text("+86\u{00A0}139\u{3000}8765\u{200B}4321")),  // no-break, ideographic and zero-width spaces
        (5, .text("＋４４ ７９１１ １２３４５６")),
        (6, .text("1311234567\u{0338}8")),          // a combining mark: the NFKC path
        (7, .text("call me")),
        (8, .text("")),
        (9, .number("8.613112345678E+12")),
        (10, .number("13112345678.5")),
        (11, .number("-8613112345678")),
        (12, .number("12abc")),
        (13, .boolean("1")),
        (14, .error("#N/A")),
        (15, .date("2026-01-01")),
        (16, .text("+44 20 7946 0958")),
        (17, .text("0086 131 1234 5678")),
        (20_000_000, .text("+86 158 1234 5678")),  // past the packed origin's 24-bit row
        (20_000_001, .text("+86 158 1234 5678")),
    ]

    private static func bytes(_ value: RecipientCellValue) -> (RecipientCellBytes.Kind, [UInt8]) {
        switch value {
        case .text(let text): (.text, Array(text.utf8))
        case .number(let text): (.number, Array(text.utf8))
        case .boolean(let text): (.boolean, Array(text.utf8))
        case .error(let text): (.error, Array(text.utf8))
        case .date(let text): (.date, Array(text.utf8))
        }
    }

    @Test func bytesAndStringsGiveTheSameReport() throws {
        var strings = try RecipientImportBuilder()
        var bytes = try RecipientImportBuilder()
        try strings.beginFile("one.xlsx")
        try bytes.beginFile("one.xlsx")
        for entry in Self.entries {
            try strings.add(cell: "A\(entry.row)", value: entry.value)
            let (kind, text) = Self.bytes(entry.value)
            try text.withUnsafeBufferPointer { try bytes.addColumnA(row: entry.row, value: RecipientCellBytes(kind: kind, bytes: $0)) }
        }
        let expected = try strings.finish()
        let report = try bytes.finish()
        #expect(report == expected)
        #expect(report.files.first?.rows == Self.entries.count - 1, "the header is skipped")
        #expect(report.duplicateEntries.last?.firstCell == "A20000000")
        #expect(!report.warnings.isEmpty && report.invalid.count > 5)
    }

    @Test func a1WithDigitsIsAnEntryNotAHeader() throws {
        var builder = try RecipientImportBuilder()
        try builder.beginFile("one.xlsx")
        let text = Array("13112345678".utf8)
        try text.withUnsafeBufferPointer { try builder.addColumnA(row: 1, value: RecipientCellBytes(kind: .text, bytes: $0)) }
        #expect(try builder.finish().valid == 1)
    }
}
