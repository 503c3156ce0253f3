import Foundation
import Testing
@testable import GroupSMSPhoneNumbers

/// The report encodes to the `groupsms check --json` shape of SPEC §3.
@Suite struct RecipientImportReportTests {
    static func sampleReport() throws -> RecipientImportReport {
        var builder = try RecipientImportBuilder()
        try builder.addFile("one.xlsx", entries: [
            RecipientCellEntry(cell: "A1", value: .text("Phone")),
            RecipientCellEntry(cell: "A2", value: .number("8.613112345678E+12")),
            RecipientCellEntry(cell: "A3", value: .text("7911 123456")),
            RecipientCellEntry(cell: "A4", value: .text("010-1234-5678")),
        ])
        try builder.addFile("two.xlsx", entries: [
            RecipientCellEntry(cell: "A1", value: .text("+86 131 1234 5678")),
            RecipientCellEntry(cell: "A2", value: .number("7911123456")),
        ])
        return try builder.finish()
    }

    @Test func jsonHasTheCheckShape() throws {
        let data = try JSONEncoder().encode(try Self.sampleReport())
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["valid"] as? Int == 2)
        #expect(object["duplicates"] as? Int == 1)
        #expect(object["numbers"] as? [String] == ["+8613112345678", "+861012345678"])

        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(Set(files[0].keys) == ["path", "rows", "valid", "invalid", "duplicates"])
        #expect(files[0]["path"] as? String == "one.xlsx")
        #expect(files[0]["rows"] as? Int == 3)
        #expect(files[1]["duplicates"] as? Int == 1)

        let invalid = try #require(object["invalid"] as? [[String: String]])
        #expect(invalid.count == 2)
        #expect(Set(invalid[0].keys) == ["file", "cell", "value", "reason"])
        #expect(invalid[0] == ["file": "one.xlsx", "cell": "A3", "value": "7911 123456",
                               "reason": "+867911123456 is not a valid CN number: no CN number starts with these digits"])
        #expect(invalid[1]["value"] == "7911123456")
        #expect(invalid[1]["reason"]?.hasSuffix("; the leading + or 0 may have been dropped; format the column as Text") == true)

        let warnings = try #require(object["warnings"] as? [[String: String]])
        #expect(warnings.first?["number"] == "+861012345678")
        #expect(warnings.first?["type"] == "fixedLine")
        #expect(warnings.first?["message"]?.contains("cannot receive SMS") == true)
        let duplicates = try #require(object["duplicateEntries"] as? [[String: String]])
        #expect(duplicates.first?["firstCell"] == "A2")
    }

    @Test func jsonRoundTrips() throws {
        let report = try Self.sampleReport()
        let decoded = try JSONDecoder().decode(RecipientImportReport.self, from: try JSONEncoder().encode(report))
        #expect(decoded == report)
    }
}

/// The number list reads as strings but stores integers.
@Suite struct E164NumberListTests {
    @Test func itReadsAndCodesAsE164Strings() throws {
        let list = E164NumberList(e164Values: [8613112345678, 447400123456, 3906123456])
        #expect(Array(list) == ["+8613112345678", "+447400123456", "+3906123456"])
        let data = try JSONEncoder().encode(list)
        #expect(String(decoding: data, as: UTF8.self) == #"["+8613112345678","+447400123456","+3906123456"]"#)
        #expect(try JSONDecoder().decode(E164NumberList.self, from: data) == list)
    }

    @Test(arguments: [#"["8613112345678"]"#, #"["+86 131"]"#, #"["+0"]"#, #"[1]"#])
    func decodingRefusesWhatIsNotE164(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(E164NumberList.self, from: Data(json.utf8)) }
    }
}
