import Testing
@testable import GroupSMSPhoneNumbers

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

    /// The error each path throws for `count` distinct numbers under the given limits.
    private static func refusals(count: Int, perFile: Int, perJob: Int) throws -> (strings: PhoneNumberError?, bytes: PhoneNumberError?) {
        func run(_ add: (inout RecipientImportBuilder, Int, String) throws(PhoneNumberError) -> Void) throws -> PhoneNumberError? {
            var builder = RecipientImportBuilder(normalizer: try PhoneNumberNormalizer(), maximumEntriesPerFile: perFile,
                                                 maximumNumbersPerJob: perJob)
            do {
                try builder.beginFile("one.xlsx")
                for row in 2...(count + 1) { try add(&builder, row, "1311234\(String(1000 + row))") }
                _ = try builder.finish()
                return nil
            } catch {
                return error
            }
        }
        let strings = try run { builder, row, text throws(PhoneNumberError) in
            try builder.add(cell: "A\(row)", value: .text(text))
        }
        let bytes = try run { builder, row, text throws(PhoneNumberError) in
            let utf8 = Array(text.utf8)
            try utf8.withUnsafeBufferPointer { buffer throws(PhoneNumberError) in
                try builder.addColumnA(row: row, value: RecipientCellBytes(kind: .text, bytes: buffer))
            }
        }
        return (strings, bytes)
    }

    @Test("refusals come at the entry that causes them, though entries are filed in groups",
          arguments: [(40, 30, 100), (40, 100, 25), (40, 33, 33), (40, 34, 33), (40, 33, 34), (5, 100, 100)])
    func refusalsKeepTheirOrder(count: Int, perFile: Int, perJob: Int) throws {
        let (strings, bytes) = try Self.refusals(count: count, perFile: perFile, perJob: perJob)
        #expect(bytes == strings)
        #expect((strings == nil) == (count <= min(perFile, perJob)))
    }
}
