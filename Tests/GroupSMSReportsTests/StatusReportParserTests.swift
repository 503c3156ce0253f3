import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSReports
import GroupSMSTestSupport

@Suite struct StatusReportParserTests {
    private func parse(_ body: String, contentType: String? = nil) throws(StatusReportError) -> ParsedStatusReports {
        try StatusReportParser.parse(body: Array(body.utf8), contentType: contentType)
    }

    @Test func readsTheReferenceSingleReport() throws {
        // The request example of "Status Report Receiving API" (section 3.2.5).
        let body = "sequence=1&total=1&orgCode=000&updateTime=2018-04-13T06%3A31%3A46Z&source=2"
            + "&smsMsgId=b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6&status=DELIVRD"
        let parsed = try parse(body, contentType: "application/x-www-form-urlencoded")
        #expect(parsed.format == .single)
        #expect(parsed.reports == [StatusReport(
            smsMsgId: "b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6", status: "DELIVRD", total: 1, sequence: 1, source: "2",
            updateTime: "2018-04-13T06:31:46Z", orgCode: "000")])
    }

    @Test func decodesPlusAndEitherCaseOfPercentEscapes() throws {
        let report = try StatusReportParser.parseSingle(
            "smsMsgId=a+b%2Bc&status=SC%3a0003&updateTime=2026-12-01T08%3A00%3a00Z&extend=k3x9j1c2&to=%2B8613900000001&x=%zz")
        #expect(report.smsMsgId == "a b+c")
        #expect(report.status == "SC:0003")
        #expect(report.updateTime == "2026-12-01T08:00:00Z")
        #expect(report.to == "+8613900000001")
        #expect(report.extend == "k3x9j1c2")
        let built = ReportFixtures.formBody(["smsMsgId": "id 1", "status": "DELIVRD", "updateTime": "2026-12-01T00:00:00Z"])
        #expect(try StatusReportParser.parseSingle(built).updateTime == "2026-12-01T00:00:00Z")
        #expect(try StatusReportParser.parseSingle(built).smsMsgId == "id 1")
    }

    @Test func emptyOptionalFieldsAreAbsentAndUnknownFieldsIgnored() throws {
        let report = try StatusReportParser.parseSingle("smsMsgId=m1&status=UNDELIV&orgCode=&extend=&total=&future=1&")
        #expect(report == StatusReport(smsMsgId: "m1", status: "UNDELIV"))
    }

    @Test func refusesMalformedSingleReportsPrecisely() {
        let cases: [(String, StatusReportError)] = [
            ("status=DELIVRD", .missingField("smsMsgId", entry: nil)),
            ("smsMsgId=m1", .missingField("status", entry: nil)),
            ("smsMsgId=&status=DELIVRD", .missingField("smsMsgId", entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&status=UNDELIV", .duplicateField("status")),
            ("smsMsgId=m%2&status=DELIVRD", .badPercentEncoding(field: "smsMsgId", detail: "'%2' is not % followed by two hex digits")),
            ("smsMsgId=m%FF&status=DELIVRD", .notUTF8(field: "smsMsgId")),
            ("smsMsgId=\(String(repeating: "x", count: 51))&status=DELIVRD",
             .fieldTooLong("smsMsgId", length: 51, limit: 50, entry: nil)),
            ("smsMsgId=m1&status=\(String(repeating: "S", count: 33))", .fieldTooLong("status", length: 33, limit: 32, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&extend=\(String(repeating: "e", count: 29))",
             .fieldTooLong("extend", length: 29, limit: 28, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&to=%2B\(String(repeating: "1", count: 21))",
             .fieldTooLong("to", length: 22, limit: 21, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&updateTime=\(String(repeating: "1", count: 21))",
             .fieldTooLong("updateTime", length: 21, limit: 20, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&orgCode=12345678", .fieldTooLong("orgCode", length: 8, limit: 7, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&total=100", .fieldTooLong("total", length: 3, limit: 2, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&total=0",
             .invalidValue("total", value: "0", reason: "must be a whole number from 1 to 99", entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&sequence=x1",
             .invalidValue("sequence", value: "x1", reason: "must be a whole number from 1 to 99", entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&total=2&sequence=3",
             .invalidValue("sequence", value: "3", reason: "it is beyond total 2 (the parts of a long message are 1...total)",
                           entry: nil)),
        ]
        for (body, expected) in cases {
            #expect(throws: expected, "\(body)") { try StatusReportParser.parseSingle(body) }
        }
        #expect(throws: StatusReportError.emptyBody) { try StatusReportParser.parseSingle(" \r\n") }
        #expect(StatusReportError.missingField("status", entry: nil).description.contains("smsMsgId and status"))
    }

    @Test func statusIsAnyPrintableCodeUpToThirtyTwoCharacters() throws {
        for status in ["MN:000123", "DELIVRD", "1", "SC:0016", "E200027", "CARRIER-SPECIFIC/CODE 42", String(repeating: "X", count: 32)] {
            #expect(try StatusReportParser.parseSingle("smsMsgId=m1&status=\(status.replacingOccurrences(of: " ", with: "+"))").status
                    == status)
        }
        let batch = try StatusReportParser.parseBatch(#"{"statusReportList":[{"smsMsgId":"m1","status":"MN:000123"}]}"#)
        #expect(batch.map(\.status) == ["MN:000123"])
    }

    @Test func fieldsWithControlCharactersAreRefusedWhereverTheyCome() {
        let cases: [(String, StatusReportError)] = [
            ("smsMsgId=m%1B%5B2J&status=DELIVRD", .controlCharacter("smsMsgId", scalar: 0x1B, entry: nil)),
            ("smsMsgId=m1&status=DELIV%7FRD", .controlCharacter("status", scalar: 0x7F, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&extend=a%C2%85b", .controlCharacter("extend", scalar: 0x85, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&to=%E2%80%AE123", .controlCharacter("to", scalar: 0x202E, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&orgCode=%09", .controlCharacter("orgCode", scalar: 0x09, entry: nil)),
            ("smsMsgId=m1&status=DELIVRD&updateTime=2026%0A", .controlCharacter("updateTime", scalar: 0x0A, entry: nil)),
            // Checked before the number rules, so no description quotes a control character.
            ("smsMsgId=m1&status=DELIVRD&total=%1B", .controlCharacter("total", scalar: 0x1B, entry: nil)),
        ]
        for (body, expected) in cases {
            #expect(throws: expected, "\(body)") { try StatusReportParser.parseSingle(body) }
        }
        #expect(throws: StatusReportError.controlCharacter("smsMsgId", scalar: 0x1B, entry: 1)) {
            try StatusReportParser.parseBatch(#"{"statusReportList":[{"smsMsgId":"m\u001b]0;owned\u0007","status":"DELIVRD"}]}"#)
        }
        #expect(StatusReportError.controlCharacter("smsMsgId", scalar: 0x1B, entry: nil).description
                == "status report: smsMsgId holds U+001B, a control or formatting character; reports holding one are "
                + "refused, so nothing untrusted reaches the store or a terminal")
        #expect(UntrustedText.escaped("a\u{1B}[2Jb\u{202E}c") == "a\\u001b[2Jb\\u202ec")
        #expect(UntrustedText.escaped("plain: ünïcode ✓") == "plain: ünïcode ✓")
    }

    @Test func readsTheReferenceBatchReport() throws {
        // The request example of "Batch Status Reports Receiving API".
        let body = #"{"statusReportList":[{"sequence":"1","total":"1","updateTime":"2023-04-18T07:26:00Z","source":"2","#
            + #""smsMsgId":"f6dcba15-ced9-45f7-9f5e-af82328c5253_1188602","status":"DELIVRD"},{"sequence":"1","total":"1","#
            + #""updateTime":"2023-04-18T07:26:00Z","source":"2","smsMsgId":"f6dcba15-ced9-45f7-9f5e-af82328c5253_123456","#
            + #""status":"DELIVRD"}]}"#
        let parsed = try parse(body, contentType: "application/JSON;charset=UTF-8")
        #expect(parsed.format == .batch)
        #expect(parsed.reports.map(\.smsMsgId) == ["f6dcba15-ced9-45f7-9f5e-af82328c5253_1188602",
                                                   "f6dcba15-ced9-45f7-9f5e-af82328c5253_123456"])
        #expect(parsed.reports[0] == StatusReport(smsMsgId: parsed.reports[0].smsMsgId, status: "DELIVRD", total: 1,
                                                  sequence: 1, source: "2", updateTime: "2023-04-18T07:26:00Z"))
    }

    @Test func batchTakesNumbersForNumericFieldsNullsAsAbsentAndLongerExtends() throws {
        let extend = String(repeating: "e", count: 128)
        let reports = try StatusReportParser.parseBatch("""
            {"statusReportList":[{"smsMsgId":"m1","status":"UNDELIV","total":2,"sequence":1,"source":2,
             "orgCode":null,"extend":"\(extend)","to":"+8613900000001"}]}
            """)
        #expect(reports == [StatusReport(smsMsgId: "m1", status: "UNDELIV", total: 2, sequence: 1, source: "2",
                                         extend: extend, to: "+8613900000001")])
        #expect(try StatusReportParser.parseBatch(#"{"statusReportList":[]}"#).isEmpty)
    }

    @Test func fiftyOneEntriesAreAllReadButTheStrictFormRefusesThem() throws {
        let fifty = (1...50).map { StatusReport(smsMsgId: "m\($0)", status: "DELIVRD") }
        #expect(try parse(ReportFixtures.batchBody(fifty)).reports.count == 50)
        let fiftyOne = fifty + [StatusReport(smsMsgId: "m51", status: "DELIVRD")]
        let read = try parse(ReportFixtures.batchBody(fiftyOne), contentType: "application/json")
        #expect(read.reports.count == 51 && read.malformed.isEmpty)
        #expect(throws: StatusReportError.tooManyReports(count: 51, limit: 50)) {
            try StatusReportParser.parseBatch(ReportFixtures.batchBody(fiftyOne))
        }
    }

    @Test func aBatchKeepsEveryWellFormedEntryAndListsTheMalformedOnesRaw() throws {
        let body = #"{"statusReportList":[{"smsMsgId":"m1","status":"DELIVRD"},{"smsMsgId":17,"status":"DELIVRD"},"#
            + #""junk",{"smsMsgId":"m\u001b[31m","status":"DELIVRD"},{"status":"UNDELIV","smsMsgId":"m5","total":"1"}]}"#
        let parsed = try parse(body, contentType: "application/json")
        #expect(parsed.format == .batch)
        #expect(parsed.reports == [StatusReport(smsMsgId: "m1", status: "DELIVRD"),
                                   StatusReport(smsMsgId: "m5", status: "UNDELIV", total: 1)])
        #expect(parsed.malformed == [
            MalformedStatusReport(entry: 2, error: .wrongType("smsMsgId", expected: "a string", found: "the number 17",
                                                              entry: 2), raw: #"{"smsMsgId":17,"status":"DELIVRD"}"#),
            MalformedStatusReport(entry: 3, error: .wrongType("the entry", expected: "an object with smsMsgId and status",
                                                              found: "a string", entry: 3), raw: #""junk""#),
            MalformedStatusReport(entry: 4, error: .controlCharacter("smsMsgId", scalar: 0x1B, entry: 4),
                                  raw: #"{"smsMsgId":"m\u001b[31m","status":"DELIVRD"}"#),
        ])
    }

    @Test func aBodyThatIsNoReportAtAllIsOneMalformedEntryHoldingTheBody() throws {
        let broken = try parse(#"{"statusReportList":[{"smsMsgId":"m1""#, contentType: "application/json")
        #expect(broken.reports.isEmpty && broken.malformed.count == 1)
        #expect(broken.malformed[0].entry == nil && broken.malformed[0].raw == #"{"statusReportList":[{"smsMsgId":"m1""#)
        guard case .badJSON = broken.malformed[0].error else { Issue.record("\(broken.malformed[0].error)"); return }
        let form = try parse("status=DELIVRD&x=%FF", contentType: "application/x-www-form-urlencoded")
        #expect(form.malformed == [MalformedStatusReport(entry: nil, error: .missingField("smsMsgId", entry: nil),
                                                         raw: "status=DELIVRD&x=%FF")])
        #expect(try parse("  ").malformed == [MalformedStatusReport(entry: nil, error: .emptyBody, raw: "")])
    }

    @Test func refusesMalformedBatchesPrecisely() {
        let cases: [(String, StatusReportError)] = [
            (#"{"statusReportList":[{"smsMsgId":"m1"}]}"#, .missingField("status", entry: 1)),
            (#"{"statusReportList":[{"smsMsgId":"m1","status":"DELIVRD"},{"status":"DELIVRD"}]}"#,
             .missingField("smsMsgId", entry: 2)),
            (#"{"statusReportList":[{"smsMsgId":17,"status":"DELIVRD"}]}"#,
             .wrongType("smsMsgId", expected: "a string", found: "the number 17", entry: 1)),
            (#"{"statusReportList":[{"smsMsgId":"m1","status":{"code":"DELIVRD"}}]}"#,
             .wrongType("status", expected: "a string", found: "an object", entry: 1)),
            (#"{"statusReportList":[{"smsMsgId":"m1","status":"DELIVRD","total":true}]}"#,
             .wrongType("total", expected: "a string or a whole number", found: "the boolean true", entry: 1)),
            (#"{"statusReportList":[{"smsMsgId":"m1","status":"DELIVRD","total":1.5}]}"#,
             .wrongType("total", expected: "a string or a whole number", found: "the number 1.5", entry: 1)),
            (#"{"statusReportList":["m1"]}"#,
             .wrongType("the entry", expected: "an object with smsMsgId and status", found: "a string", entry: 1)),
            (#"{"statusReportList":{"smsMsgId":"m1"}}"#,
             .wrongType("statusReportList", expected: "a list of reports", found: "an object", entry: nil)),
            (#"{"reports":[]}"#, .missingField("statusReportList", entry: nil)),
            (#"[{"smsMsgId":"m1","status":"DELIVRD"}]"#,
             .wrongType("the body", expected: "a JSON object with statusReportList", found: "a list", entry: nil)),
            (#"{"statusReportList":[{"smsMsgId":"m1","status":"DELIVRD","to":"+8613900000001234567890"}]}"#,
             .fieldTooLong("to", length: 23, limit: 21, entry: 1)),
        ]
        for (body, expected) in cases {
            #expect(throws: expected, "\(body)") { try StatusReportParser.parseBatch(body) }
        }
        for broken in [#"{"statusReportList":[{"smsMsgId":"m1","status":"DELIVRD"}"#, #"{"statusReportList":[,]}"#] {
            do {
                _ = try StatusReportParser.parseBatch(broken)
                Issue.record("parsed \(broken)")
            } catch {
                guard case .badJSON(let detail) = error else { Issue.record("\(error)"); continue }
                #expect(!detail.isEmpty)
            }
        }
    }

    @Test func aBodyThatIsNotUTF8IsNamedAsSuch() {
        var body = Array(#"{"statusReportList":[{"smsMsgId":"m1","status":"DELIVRD"}]}"#.utf8)
        body[30] = 0xFF
        let parsed = try? StatusReportParser.parse(body: body, contentType: "application/json")
        #expect(parsed?.reports.isEmpty == true)
        #expect(parsed?.malformed.first?.error == .badJSON("the body is not valid UTF-8 JSON"))
    }

    @Test func choosesTheFormByContentTypeOrFirstByte() throws {
        let form = "smsMsgId=m1&status=DELIVRD"
        let json = ReportFixtures.batchBody([StatusReport(smsMsgId: "m2", status: "UNDELIV")])
        #expect(try parse(form).format == .single)
        #expect(try parse(json).format == .batch)
        #expect(try parse(json, contentType: "text/plain").reports.map(\.smsMsgId) == ["m2"])
        #expect(try parse(form, contentType: "Application/X-WWW-Form-Urlencoded; charset=utf-8").reports.count == 1)
        // A JSON body declared as a form is read as a form: the content type wins.
        let declaredForm = try parse(json, contentType: "application/x-www-form-urlencoded")
        #expect(declaredForm.format == .single && declaredForm.reports.isEmpty)
        #expect(declaredForm.malformed.map(\.error) == [.missingField("smsMsgId", entry: nil)])
        #expect(try parse("").malformed.map(\.error) == [.emptyBody])
    }

    @Test func bodiesOverOneMebibyteAreRefusedWith413() {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: StatusReportParser.maximumBodyBytes + 1)
        #expect(throws: StatusReportError.bodyTooLarge(bytes: body.count, limit: 1_048_576)) {
            try StatusReportParser.parse(body: body, contentType: "application/x-www-form-urlencoded")
        }
        #expect(StatusReportParser.successAnswer == #"{"returnCode":0,"returnCodeDesc":"Success"}"#)
    }
}
