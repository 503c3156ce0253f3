import Foundation
import Testing
@testable import GroupSMSSimulator

/// The simulator reads request bodies with its own decoders.
@Suite("Simulator: request parsing")
struct SimulatorRequestParsingTests {
    private func parseForm(_ body: String) throws(SimulatorRefusal) -> SimulatorSubmission {
        try SimulatorSubmissionParser.parse(Array(body.utf8), endpoint: .batchSendSms)
    }

    private func parseJSON(_ body: String) throws(SimulatorRefusal) -> SimulatorSubmission {
        try SimulatorSubmissionParser.parse(Array(body.utf8), endpoint: .batchSendDiffSms)
    }

    @Test func formFieldsArePercentDecoded() {
        let fields = SimulatorFormCoding.fields("a=x%2By+z&b=%E4%BA%BA&c&d=100%&e=%zz")
        #expect(fields.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(fields.map(\.value) == ["x+y z", "人", "", "100%", "%zz"])
        #expect(SimulatorFormCoding.encode("a b/:人~") == "a%20b%2F%3A%E4%BA%BA~")
    }

    @Test func theReferenceExampleBodyParses() throws {
        let submission = try parseForm("from=8824000000001&to=%2B8615512345678&templateId=abcdefghabcfghabcfghabcfgh"
            + "&templateParas=%5B%22520520%22%5D&statusCallback=http%3A%2F%2F205%2E145%2E111%2E168%3A9330%2Freport")
        #expect(submission.from == "8824000000001")
        #expect(submission.statusCallback == "http://205.145.111.168:9330/report")
        #expect(submission.groups.count == 1)
        #expect(submission.groups[0].numbers == ["+8615512345678"])
        #expect(submission.groups[0].templateParas == ["520520"])
    }

    @Test func templateParasThatAreNotAJSONArrayOfStringsAreE000000() {
        for paras in ["%5B520520%5D", "not-json", "%7B%7D"] {
            #expect(throws: SimulatorRefusal(code: "E000000", httpStatus: 400, numbers: ["+8613100000001"])) {
                try parseForm("from=1&to=%2B8613100000001&templateId=t&templateParas=\(paras)")
            }
        }
    }

    @Test func wholeRequestRulesAreE000503() {
        let bad = [
            "from=1&to=%2B86131+0001&templateId=t",                                  // a space in to
            "from=1&to=&templateId=t",                                              // no number
            "from=1&to=%2B8613100000001&templateId=",                               // no template id
            "from=1&to=%2B8613100000001&templateId=" + String(repeating: "t", count: 33),
            "from=1&to=%2B8613100000001&templateId=t&extend=has%20space",
            "from=1&to=%2B8613100000001&templateId=t&extend=" + String(repeating: "e", count: 29),
            "from=1&to=" + (0..<501).map { "%2B86131\(String(format: "%08d", $0))" }.joined(separator: "%2C") + "&templateId=t",
        ]
        for body in bad {
            #expect(throws: SimulatorRefusal.self, "\(body.prefix(60))") { try parseForm(body) }
            #expect((try? parseForm(body)) == nil)
        }
    }

    @Test func diffBodiesKeepEachGroup() throws {
        let submission = try parseJSON(#"{"from":"8824000000001","extend":"c1","smsContent":[{"to":["+8613100000001"],"#
            + #""templateId":"a","templateParas":["1"]},{"to":["+8613100000002","+8613100000003"],"templateId":"b","signature":"S"}]}"#)
        #expect(submission.extend == "c1" && submission.statusCallback == nil)
        #expect(submission.groups.map(\.numbers) == [["+8613100000001"], ["+8613100000002", "+8613100000003"]])
        #expect(submission.groups.map(\.templateParas) == [["1"], nil])
        #expect(submission.groups[1].signature == "S")
    }

    @Test func diffBodiesOver500NumbersInAllOrUnreadableAreRefused() {
        let group = #"{"to":["# + (0..<251).map { "\"+86131\(String(format: "%08d", $0))\"" }.joined(separator: ",")
            + #"],"templateId":"a"}"#
        #expect(throws: SimulatorRefusal.self) { try parseJSON(#"{"from":"1","smsContent":[\#(group),\#(group)]}"#) }
        #expect(throws: SimulatorRefusal(code: "E000000", httpStatus: 400)) { try parseJSON("{not json") }
        #expect(throws: SimulatorRefusal.self) { try parseJSON(#"{"from":"1","smsContent":[]}"#) }
    }

    @Test func diffBodiesWithMoreThan100GroupsAreRefused() throws {
        func body(groups: Int) -> String {
            let content = (0..<groups).map { #"{"to":["+86131\#(String(format: "%08d", $0))"],"templateId":"a","templateParas":["\#($0)"]}"# }
            return #"{"from":"1","smsContent":[\#(content.joined(separator: ","))]}"#
        }
        #expect(try parseJSON(body(groups: 100)).groups.count == 100)
        #expect(throws: SimulatorRefusal(code: "E000503", httpStatus: 400, numbers: (0..<101).map { "+86131" + String(format: "%08d", $0) })) {
            try parseJSON(body(groups: 101))
        }
    }

    @Test func smsContentOver64KBIsRefused() throws {
        // 5 groups of one number with 20 values of about 650 bytes each: about 65 KB of smsContent.
        func body(valueBytes: Int) -> String {
            let value = String(repeating: "x", count: valueBytes)
            let paras = "[" + (0..<20).map { _ in "\"\(value)\"" }.joined(separator: ",") + "]"
            let content = (0..<5).map { #"{"to":["+8613100000\#($0)01"],"templateId":"a","templateParas":\#(paras)}"# }
            return #"{"from":"1","smsContent":[\#(content.joined(separator: ","))]}"#
        }
        #expect(try parseJSON(body(valueBytes: 640)).groups.count == 5)
        #expect(throws: SimulatorRefusal.self) { try parseJSON(body(valueBytes: 660)) }
        #expect((try? parseJSON(body(valueBytes: 660))) == nil)
    }
}
