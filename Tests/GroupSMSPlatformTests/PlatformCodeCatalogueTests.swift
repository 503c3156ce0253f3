import Foundation
import Testing
@testable import GroupSMSPlatform

@Suite("Platform code catalogue")
struct PlatformCodeCatalogueTests {
    /// Every code of appendix 5.2.1 and tables 3-55/3-56/3-64 (committed; the reference check below
    /// proves this list complete whenever the reference is present).
    static let referenceAPICodes = [
        "000000", "E000000", "E000001", "E000002", "E000003", "E000004", "E000005", "E000006", "E000007", "E000008",
        "E000020", "E000021", "E000022", "E000023", "E000024", "E000025", "E000026", "E000027", "E000040",
        "E000101", "E000102", "E000103", "E000104", "E000105", "E000106", "E000109", "E000110", "E000111", "E000112",
        "E000503", "E000510", "E000620", "E000623", "E000628",
        "E200015", "E200028", "E200029", "E200030", "E200031", "E200033", "E200041",
    ]

    /// Every status of appendix 5.2.2 and table 3-68, spelled as the reference spells it.
    static let referenceReportCodes = [
        "1", "24", "ACCEPTD", "BEYOND", "BEYONDN", "BLACK", "CA:xxxx", "CB:xxxx", "DA:xxxx", "DB:xxxx", "DELETED", "DELIVRD",
        "DJ:0255", "E000628", "E200018", "E200019", "E200020", "E200021", "E200022", "E200023", "E200024", "E200025",
        "E200026", "E200027", "E200032", "E200034", "E200035", "E200036", "E200038", "E200040", "EXPIRED", "IA:xxxx",
        "IB:xxxx", "IC:xxxx", "KEYWORD", "LIMIT", "LT:0001", "MA:xxxx", "MB:xxxx", "MBBLACK", "MC:xxxx", "MILIMIT",
        "MK:xxx", "MK:xxxx", "MN:xxxx", "MN:xxxxxx", "REJECTD", "SA:xxxx", "SB:xxxx",
        "SC:0001", "SC:0002", "SC:0003", "SC:0004", "SC:0005", "SC:0006", "SC:0007", "SC:0008", "SC:0009", "SC:0010",
        "SC:0011", "SC:0012", "SC:0013", "SC:0014", "SC:0015", "SC:0016", "SC:0017", "SC:0018", "UNDELIV", "UNKNOWN",
    ]

    @Test func coversEveryCommittedCode() {
        for code in Self.referenceAPICodes { #expect(PlatformCodeCatalogue.apiEntry(for: code) != nil, "\(code)") }
        for code in Self.referenceReportCodes { #expect(PlatformCodeCatalogue.reportEntry(for: code) != nil, "\(code)") }
    }

    @Test func holdsNoCodeTheReferenceLacks() {
        let api = Set(Self.referenceAPICodes)
        let reports = Self.referenceReportCodes
        for entry in PlatformCodeCatalogue.entries {
            switch entry.kind {
            case .api: #expect(api.contains(entry.code), "\(entry.code)")
            case .report: #expect(reports.contains { PlatformCodeCatalogue.reportEntry(for: $0) == entry }, "\(entry.code)")
            }
        }
    }

    @Test(.enabled(if: ReferenceText.apiReference != nil, "the vendor reference is not next to the repository"))
    func committedListsMatchTheReferenceText() throws {
        let text = try #require(ReferenceText.apiReference)
        let extracted = ReferenceText.extractCodes(text)
        #expect(extracted.api == Set(Self.referenceAPICodes))
        #expect(extracted.report == Set(Self.referenceReportCodes))
    }

    @Test func optedOutIsExactlySpecSection4() {
        #expect(Set(PlatformCodeCatalogue.optedOutStatuses)
                == ["REJECTD", "BLACK", "MBBLACK", "SC:0003", "SC:0004", "SC:0005", "SC:0013", "SC:0016"])
    }

    @Test func classesMatchTheIssue() {
        func apiClass(_ code: String) -> PlatformCodeClass? { PlatformCodeCatalogue.apiEntry(for: code)?.codeClass }
        for code in ["E000101", "E000102", "E000103", "E000104", "E000105", "E000106", "E000109", "E000110", "E000111",
                     "E000112", "E000620"] {
            #expect(apiClass(code) == .fatal, "\(code)")
        }
        #expect(apiClass("E000623") == .pause)
        #expect(apiClass("E200015") == .backOff)
        #expect(apiClass("E000510") == .perNumber)
        #expect(apiClass("E200041") == .duplicate)
        #expect(PlatformCodeCatalogue.reportClass(for: "DELIVRD") == .success)
        #expect(PlatformCodeCatalogue.reportClass(for: "ACCEPTD") == .pending)
        #expect(PlatformCodeCatalogue.reportClass(for: "UNDELIV") == .retryable)
        #expect(PlatformCodeCatalogue.reportClass(for: "MK:0012") == .retryable)
        #expect(PlatformCodeCatalogue.reportEntry(for: "MK:0012")?.code == "MK:xxxx")
        #expect(PlatformCodeCatalogue.reportClass(for: "ZZ-NEW") == .retryable)
        #expect(PlatformCodeCatalogue.reportEntry(for: "ZZ-NEW") == nil)
    }

    @Test func everyEntryExplainsItselfOnce() {
        var seen = Set<String>()
        for entry in PlatformCodeCatalogue.entries {
            #expect(seen.insert("\(entry.kind.rawValue):\(entry.code)").inserted, "duplicate \(entry.code)")
            #expect(!entry.meaning.isEmpty && !entry.action.isEmpty, "\(entry.code)")
            #expect((entry.httpStatus != nil) == (entry.kind == .api && !entry.code.hasPrefix("E2")), "\(entry.code)")
        }
    }
}

/// The vendor's API reference, when it sits in a `shared/reference` folder above this file
/// (/work/shared next to /work/main or /work/stage/<area>).
enum ReferenceText {
    static let apiReference: String? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/reference/message-sms-api-reference.txt")
            if let text = try? String(contentsOf: candidate, encoding: .utf8) { return text }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// Codes of appendix 5.2.1 and tables 3-56/3-64 (`api`) and of appendix 5.2.2 and table 3-68 (`report`).
    static func extractCodes(_ text: String) -> (api: Set<String>, report: Set<String>) {
        func section(from start: String, to end: String, last: Bool = false) -> Substring {
            guard let from = last ? text.range(of: start, options: .backwards) : text.range(of: start),
                  let to = text.range(of: end, range: from.upperBound..<text.endIndex) else { return "" }
            return text[from.lowerBound..<to.lowerBound]
        }
        let apiText = section(from: "5.2.1 API Error Codes", to: "5.2.2 SMS Status Error Codes", last: true)
            + section(from: "Table 3-56", to: "API Example") + section(from: "Table 3-64", to: "API Example")
        var api = Set(apiText.matches(of: /E\d{3} ?\d{3}/).map { $0.output.replacingOccurrences(of: " ", with: "") })
        if apiText.contains(/0000 ?00\t/) { api.insert("000000") }
        var report = Set<String>()
        let appendix = section(from: "5.2.2 SMS Status Error Codes", to: "6 Change History", last: true)
        for line in appendix.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count >= 2, fields[0].hasSuffix("platform") || fields[0].contains("Huawei") {
                report.insert(fields[1].replacingOccurrences(of: " ", with: ""))
            }
        }
        let table = section(from: "Table 3-68 Values of status", to: "Response Parameters")
        for line in table.split(separator: "\n").dropFirst() where !line.hasPrefix("Value\t") {
            let code = line.split(separator: "\t", omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
            if !code.isEmpty { report.insert(code) }
        }
        return (api, report)
    }
}
