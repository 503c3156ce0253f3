import Testing
@testable import GroupSMSPhoneNumbers

/// SPEC §2 step 5 and the import's count rules.
@Suite struct RecipientImportBuilderTests {
    static func entries(_ texts: [String], firstRow: Int = 1) -> [RecipientCellEntry] {
        texts.enumerated().map { RecipientCellEntry(cell: "A\($0.offset + firstRow)", value: .text($0.element)) }
    }

    @Test func numbersAreDeduplicatedAcrossFilesInFirstSeenOrder() throws {
        var builder = try RecipientImportBuilder()
        try builder.addFile("a.xlsx", entries: Self.entries(["131 1234 5678", "+86 132 1234 5678", "8613112345678", "bogus"]))
        try builder.addFile("b.xlsx", entries: Self.entries(["+44 7400 123456", "0086 132-1234-5678", "13312345678"]))
        let report = try builder.finish()
        #expect(Array(report.numbers) == ["+8613112345678", "+8613212345678", "+447400123456", "+8613312345678"])
        #expect(report.valid == 4)
        #expect(report.duplicates == 2)
        #expect(report.files == [
            .init(path: "a.xlsx", rows: 4, valid: 2, invalid: 1, duplicates: 1),
            .init(path: "b.xlsx", rows: 3, valid: 2, invalid: 0, duplicates: 1),
        ])
        #expect(report.duplicateEntries == [
            .init(file: "a.xlsx", cell: "A3", value: "8613112345678", number: "+8613112345678", firstFile: "a.xlsx", firstCell: "A1"),
            .init(file: "b.xlsx", cell: "A2", value: "0086 132-1234-5678", number: "+8613212345678", firstFile: "a.xlsx", firstCell: "A2"),
        ])
        #expect(report.invalid.map(\.cell) == ["A4"])
        #expect(report.invalid.first?.reason == "contains \"b\"; a phone number may only hold digits, one leading +, spaces and - . ( ) / '")
        for file in report.files { #expect(file.rows == file.valid + file.invalid + file.duplicates) }
    }

    @Test func addReportsWhatHappenedToEachEntry() throws {
        var builder = try RecipientImportBuilder()
        try builder.beginFile("a.xlsx")
        #expect(try builder.add(cell: "A1", value: .text("Mobile")) == .header)
        guard case .valid(let number) = try builder.add(cell: "A2", value: .number("13112345678")) else {
            Issue.record("expected a valid number")
            return
        }
        #expect(try builder.add(cell: "A3", value: .text("+8613112345678")) == .duplicate(number, firstFile: "a.xlsx", firstCell: "A2"))
        guard case .invalid = try builder.add(cell: "A4", value: .boolean("TRUE")) else {
            Issue.record("expected an invalid entry")
            return
        }
    }

    @Test(arguments: ["Phone number", "电话号码", "ＭＯＢＩＬＥ", "手机号 / Mobile"])
    func aHeaderWithoutDigitsInA1IsSkippedAndNotCounted(header: String) throws {
        var builder = try RecipientImportBuilder()
        try builder.addFile("a.xlsx", entries: Self.entries([header, "13112345678"]))
        let report = try builder.finish()
        #expect(report.files[0].rows == 1)
        #expect(report.invalid.isEmpty)
        #expect(Array(report.numbers) == ["+8613112345678"])
    }

    @Test func onlyA1WithoutADigitIsAHeader() throws {
        var builder = try RecipientImportBuilder()
        try builder.addFile("a.xlsx", entries: [
            RecipientCellEntry(cell: "A1", value: .text("Phone 1")),       // has a digit: an entry
            RecipientCellEntry(cell: "A2", value: .text("Phone number")),  // not A1: an entry
            RecipientCellEntry(cell: "A3", value: .text("13112345678")),
        ])
        try builder.addFile("b.xlsx", entries: [
            RecipientCellEntry(cell: "A1", value: .text("１３１１２３４５６７８")),  // full-width digits: an entry
            RecipientCellEntry(cell: "A2", value: .boolean("FALSE")),
        ])
        let report = try builder.finish()
        #expect(report.files.map(\.rows) == [3, 2])
        #expect(report.invalid.map(\.cell) == ["A1", "A2", "A2"])
    }

    @Test func aFileWithoutAValidNumberIsRefused() throws {
        var builder = try RecipientImportBuilder()
        try builder.beginFile("empty.xlsx")
        try builder.add(cell: "A1", value: .text("Phone"))
        try builder.add(cell: "A2", value: .text("n/a"))
        #expect(throws: PhoneNumberError.noValidNumbers(file: "empty.xlsx")) { try builder.endFile() }

        var headerOnly = try RecipientImportBuilder()
        #expect(throws: PhoneNumberError.noValidNumbers(file: "header.xlsx")) {
            try headerOnly.addFile("header.xlsx", entries: Self.entries(["Phone"]))
        }
        let error = PhoneNumberError.noValidNumbers(file: "empty.xlsx")
        #expect(error.description.contains("The recipient number quantity is out the range of 1-50000"))
        #expect(error.rule == "file-without-valid-number")
    }

    @Test func aFileHoldingOnlyNumbersOfEarlierFilesIsAccepted() throws {
        var builder = try RecipientImportBuilder()
        try builder.addFile("a.xlsx", entries: Self.entries(["13112345678"]))
        try builder.addFile("b.xlsx", entries: Self.entries(["+86 131 1234 5678"]))
        #expect(try builder.finish().files[1] == .init(path: "b.xlsx", rows: 1, valid: 0, invalid: 0, duplicates: 1))
    }

    @Test func beginningTheNextFileEndsTheOpenOne() throws {
        var builder = try RecipientImportBuilder()
        try builder.beginFile("a.xlsx")
        try builder.add(cell: "A1", value: .text("bogus"))
        #expect(throws: PhoneNumberError.noValidNumbers(file: "a.xlsx")) { try builder.beginFile("b.xlsx") }
    }

    @Test func entriesNeedAnOpenFile() throws {
        var builder = try RecipientImportBuilder()
        #expect(throws: PhoneNumberError.noOpenFile) { try builder.add(cell: "A1", value: .text("13112345678")) }
        #expect(throws: PhoneNumberError.noOpenFile) { try builder.endFile() }
    }

    @Test func moreThan50000EntriesInAFileAreRefused() throws {
        #expect(RecipientImportBuilder.maximumEntriesPerFile == 50_000)
        var builder = try RecipientImportBuilder()
        try builder.beginFile("big.xlsx")
        #expect(try builder.add(cell: "A1", value: .text("Phone")) == .header)
        for row in 2...50_001 { try builder.add(cell: "A\(row)", value: .text("13112345678")) }
        #expect(throws: PhoneNumberError.tooManyEntries(file: "big.xlsx", limit: 50_000)) {
            try builder.add(cell: "A50002", value: .text("13112345678"))
        }
    }

    @Test func moreThanTheJobLimitOfNumbersIsRefused() throws {
        #expect(RecipientImportBuilder.maximumNumbersPerJob == 1_000_000)
        var builder = RecipientImportBuilder(normalizer: try PhoneNumberNormalizer(), maximumEntriesPerFile: 50_000,
                                             maximumNumbersPerJob: 30)
        try builder.addFile("a.xlsx", entries: Self.entries((0..<20).map { "1311234\(5600 + $0)" }))
        try builder.beginFile("b.xlsx")
        for row in 1...10 { try builder.add(cell: "A\(row)", value: .text("1321234\(5600 + row)")) }
        try builder.add(cell: "A11", value: .text("13112345600"))  // a duplicate does not count
        #expect(throws: PhoneNumberError.tooManyNumbers(file: "b.xlsx", limit: 30)) {
            try builder.add(cell: "A12", value: .text("13312345678"))
        }
    }

    @Test func numbersThatCannotReceiveSMSStayValidWithAWarning() throws {
        var builder = try RecipientImportBuilder()
        try builder.addFile("a.xlsx", entries: Self.entries(["010 1234 5678", "400 123 4567", "13112345678", "010 1234 5678"]))
        let report = try builder.finish()
        #expect(Array(report.numbers) == ["+861012345678", "+864001234567", "+8613112345678"])
        #expect(report.warnings.map(\.number) == ["+861012345678", "+864001234567"])
        #expect(report.warnings.map(\.type) == [.fixedLine, .sharedCost])
        #expect(report.warnings[0].cell == "A1")
        #expect(report.warnings[0].message == "+861012345678 is a fixed-line number and cannot receive SMS; the platform may still bill the message")
    }

    @Test func otherCellReferencesArePreservedForDuplicates() throws {
        var builder = try RecipientImportBuilder()
        try builder.addFile("a.xlsx", entries: [
            RecipientCellEntry(cell: "Sheet1!A7", value: .text("13112345678")),
            RecipientCellEntry(cell: "XFD1048576", value: .text("13212345678")),
            RecipientCellEntry(cell: "A9", value: .text("13112345678")),
            RecipientCellEntry(cell: "A10", value: .text("13212345678")),
        ])
        let report = try builder.finish()
        #expect(report.duplicateEntries.map(\.firstCell) == ["Sheet1!A7", "XFD1048576"])
    }
}
