import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSSimulator

/// With a template registry the simulator answers E200028/E200030/E000503 from real checks and
/// logs what it counted for each number; without one it accepts any template.
@Suite("Simulator: templates")
struct SimulatorTemplateTests {
    typealias Kit = SimulatorTestKit

    private static let registry = try! SimulatedTemplateRegistry(options: [
        "code01=Your code is ${NUM_6}.", "greet=Привет, ${TXT_10}!", "long=" + String(repeating: "x", count: 155) + "${TXT_5}",
    ])

    private func withRegistry(_ body: (PlatformSimulator) async throws -> Void) async throws {
        try await Kit.withSimulator({ $0.templates = Self.registry }, body)
    }

    @Test func fittingValuesAreSentAndTheirSegmentsLogged() async throws {
        try await withRegistry { simulator in
            let numbers = ["+8613100000001", "+447700900123"]
            let answer = try await Kit.post(simulator, body: Kit.sendBody(numbers, templateId: "code01", paras: #"["123456"]"#))
            #expect(answer.status == 200 && answer.statuses == ["000000", "000000"])
            let long = try await Kit.post(simulator, body: Kit.sendBody(numbers, templateId: "long", paras: #"["abcde"]"#))
            #expect(long.statuses == ["000000", "000000"])
            let greet = try await Kit.post(simulator, body: Kit.sendBody(["+447700900124"], templateId: "greet", paras: #"["Мир"]"#))
            #expect(greet.statuses == ["000000"])
            let records = await simulator.records()
            #expect(records[0].segments == [1, 1] && records[0].encodings == ["mainland", "GSM-7"])
            // 160 characters: one GSM-7 segment, but three mainland ones (70, else 67 a part).
            #expect(records[1].segments == [3, 1])
            #expect(records[2].segments == [1] && records[2].encodings == ["UCS-2"])
        }
    }

    @Test(arguments: [#"["12345a"]"#, #"["1234567"]"#, #"["1","2"]"#, #"[]"#])
    func valuesThatDoNotFitGetE200028ForEveryNumber(paras: String) async throws {
        try await withRegistry { simulator in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(2), templateId: "code01", paras: paras))
            #expect(answer.status == 400 && answer.code == "E000510")
            #expect(answer.statuses == ["E200028", "E200028"])
            let record = try #require(await simulator.records().first)
            #expect(record.acceptedNumbers.isEmpty && record.segments == [0, 0] && record.encodings == ["", ""])
        }
    }

    @Test func anUnregisteredTemplateIsNotActivated() async throws {
        try await withRegistry { simulator in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(1), templateId: "tmpl0001"))
            #expect(answer.code == "E000510" && answer.statuses == ["E200030"])
        }
    }

    @Test func aBraceInAValueFailsTheWholeRequest() async throws {
        try await withRegistry { simulator in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(1), templateId: "code01", paras: #"["{1}"]"#))
            #expect(answer.status == 400 && answer.code == "E000503" && answer.statuses.isEmpty)
        }
    }

    @Test func withoutARegistryAnyTemplateIsAcceptedUncounted() async throws {
        try await Kit.withSimulator { simulator in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(1), templateId: "anything", paras: #"["x","y"]"#))
            #expect(answer.statuses == ["000000"])
            let record = try #require(await simulator.records().first)
            #expect(record.segments == nil && record.encodings == nil)
        }
    }

    @Test func eachDiffGroupIsCheckedAgainstItsTemplate() async throws {
        try await withRegistry { simulator in
            let body = #"{"from":"8824000000001","smsContent":["#
                + #"{"to":["+8613100000001","+8613100000002"],"templateId":"code01","templateParas":["654321"]},"#
                + #"{"to":["+8613100000003"],"templateId":"code01","templateParas":["65432a"]},"#
                + #"{"to":["+8613100000004"],"templateId":"greet","templateParas":["Anna"],"signature":"ACME"}]}"#
            let answer = try await Kit.post(simulator, path: "/sms/batchSendDiffSms/v1", contentType: "application/json", body: body)
            #expect(answer.code == "E000510")
            #expect(answer.statuses == ["000000", "000000", "E200028", "000000"])
            let record = try #require(await simulator.records().first)
            // 【ACME】Привет, Anna! is 6 + 13 = 19 characters: one mainland segment.
            #expect(record.segments == [1, 1, 0, 1])
            #expect(record.encodings == ["mainland", "mainland", "", "mainland"])
        }
    }

    @Test func aDiffRequestLogsEachNumberWithItsOwnValuesAndCount() async throws {
        let folder = try TemporaryDirectory(prefix: "sim-log")
        let path = folder.file("sim.jsonl")
        let registry = try SimulatedTemplateRegistry(options: ["parcel=Hi ${TXT_20}, parcel ${NUM_6} arrives ${DATE}."])
        try await Kit.withSimulator({ $0.templates = registry; $0.logPath = path }) { simulator in
            let long = String(repeating: "😀", count: 20)
            let body = #"{"from":"8824000000001","smsContent":["#
                + #"{"to":["+447700900001","+447700900002"],"templateId":"parcel","templateParas":["Ann","123456","2026/07/16"]},"#
                + #"{"to":["+447700900003"],"templateId":"parcel","templateParas":["Zoë","654321","2026/07/17"]},"#
                + #"{"to":["+447700900004"],"templateId":"parcel","templateParas":["\#(long)","1","2026/7/1"]},"#
                + #"{"to":["+447700900005"],"templateId":"parcel","templateParas":["Bo","1234567","2026/07/16"]}]}"#
            let answer = try await Kit.post(simulator, path: "/sms/batchSendDiffSms/v1", contentType: "application/json", body: body)
            #expect(answer.statuses == ["000000", "000000", "000000", "000000", "E200028"])
            let record = try #require(await simulator.records().first)
            #expect(record.numbers == ["+447700900001", "+447700900002", "+447700900003", "+447700900004", "+447700900005"])
            #expect(record.templateIds == Array(repeating: "parcel", count: 5))
            #expect(record.templateParas == [["Ann", "123456", "2026/07/16"], ["Ann", "123456", "2026/07/16"],
                                             ["Zoë", "654321", "2026/07/17"], [long, "1", "2026/7/1"], ["Bo", "1234567", "2026/07/16"]])
            // Each number's own text is counted: ë is not GSM-7, so "Hi Zoë, ..." is UCS-2; twenty
            // emoji count 2 units each, so that text is 71 units, two segments.
            #expect(record.encodings == ["GSM-7", "GSM-7", "UCS-2", "UCS-2", ""])
            #expect(record.segments == [1, 1, 1, 2, 0])
        }
        let line = try #require(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["templateParas"] as? [[String]])?[2] == ["Zoë", "654321", "2026/07/17"])
        #expect(object["templateIds"] as? [String] == Array(repeating: "parcel", count: 5))
    }

    @Test func aBatchRequestLogsNoPerNumberValues() async throws {
        try await withRegistry { simulator in
            _ = try await Kit.post(simulator, body: Kit.sendBody(["+447700900123"], templateId: "code01", paras: #"["123456"]"#))
            let record = try #require(await simulator.records().first)
            #expect(record.templateParas == nil && record.templateIds == nil)
        }
    }

    @Test func theLogLineCarriesSegmentsAndEncodings() async throws {
        let folder = try TemporaryDirectory(prefix: "sim-log")
        let path = folder.file("sim.jsonl")
        try await Kit.withSimulator({ $0.templates = Self.registry; $0.logPath = path }) { simulator in
            _ = try await Kit.post(simulator, body: Kit.sendBody(["+447700900123"], templateId: "code01", paras: #"["123456"]"#))
        }
        let line = try #require(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["segments"] as? [Int] == [1])
        #expect(object["encodings"] as? [String] == ["GSM-7"])
    }
}
