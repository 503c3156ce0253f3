import Foundation
import Testing
@testable import GroupSMSPlatform

@Suite("Platform send requests")
struct PlatformRequestTests {
    private func rule(of request: PlatformSendRequest) -> PlatformRequestRule? {
        do {
            try request.validate()
            return nil
        } catch {
            if case .invalidRequest(let rule, _) = error { return rule }
            return nil
        }
    }

    @Test func aValidRequestPasses() {
        #expect(rule(of: .batch(PlatformTestKit.request(PlatformTestKit.numbers(500), extend: "job7-chunk12",
                                                        callback: "https://example.com/report"))) == nil)
    }

    @Test func moreThan500NumbersAreRefused() {
        #expect(rule(of: .batch(PlatformTestKit.request(PlatformTestKit.numbers(501)))) == .tooManyNumbers)
        let diff = PlatformDiffSendRequest(from: "8824000000001", smsContent: [
            PlatformSmsContent(to: PlatformTestKit.numbers(501), templateId: "tmpl0001")])
        #expect(rule(of: .diff(diff)) == .tooManyNumbers)
    }

    @Test func numbersMayHoldOnlyPlusAndDigitsUpTo21Characters() {
        #expect(rule(of: .batch(PlatformTestKit.request(["+86131 1234 5678"]))) == .numberCharacters)
        #expect(rule(of: .batch(PlatformTestKit.request(["+8613112345678", "+86-131"]))) == .numberCharacters)
        #expect(rule(of: .batch(PlatformTestKit.request(["+" + String(repeating: "1", count: 21)]))) == .numberLength)
        #expect(rule(of: .batch(PlatformTestKit.request(["+" + String(repeating: "1", count: 20)]))) == nil)
        #expect(rule(of: .batch(PlatformTestKit.request([]))) == .noNumbers)
    }

    @Test func extendHas1To28CharactersWithoutSpacesOrBraces() {
        for bad in ["", "has space", "brace{", "brace}", String(repeating: "x", count: 29)] {
            #expect(rule(of: .batch(PlatformTestKit.request(["+8613112345678"], extend: bad))) == .extend, "\(bad)")
        }
        #expect(rule(of: .batch(PlatformTestKit.request(["+8613112345678"], extend: String(repeating: "x", count: 28)))) == nil)
    }

    @Test func otherFieldsAreChecked() {
        var request = PlatformTestKit.request(["+8613112345678"])
        request.templateId = String(repeating: "t", count: 33)
        #expect(rule(of: .batch(request)) == .templateIdLength)
        request = PlatformTestKit.request(["+8613112345678"], callback: "ftp://example.com")
        #expect(rule(of: .batch(request)) == .statusCallback)
        request = PlatformTestKit.request(["+8613112345678"])
        request.from = ""
        #expect(rule(of: .batch(request)) == .fromLength)
        #expect(rule(of: .diff(PlatformDiffSendRequest(from: "1", smsContent: []))) == .noContent)
    }

    @Test func templateParasMustBeAJSONArrayOfStrings() throws {
        #expect(try PlatformTemplateParas.parse(json: #"["3","Gate of People's Park"]"#) == ["3", "Gate of People's Park"])
        for bad in [#"["3",4]"#, #"{"a":"b"}"#, "3", "[\"unclosed\""] {
            #expect(throws: PlatformError.self) { try PlatformTemplateParas.parse(json: bad) }
        }
    }

    @Test func errorsNameTheRuleAndValue() {
        let error = PlatformError.invalidRequest(rule: .numberCharacters, detail: "number 2 is \"+86-131\"")
        #expect(error.description.contains("only + and digits"))
        #expect(error.description.contains("+86-131"))
    }

    @Test func formBodyIsEncodedLikeTheReferenceExample() {
        let request = PlatformBatchSendRequest(from: "1069031221280012", to: ["+8615512345678"], templateId: "abcdefghabcdeghabcdegh",
                                               templateParas: ["520520"], statusCallback: "http://205.145.111.168:9330/report",
                                               extend: "job1", signature: "华为云")
        let body = String(decoding: PlatformSendRequest.batch(request).body(), as: UTF8.self)
        #expect(body == "from=1069031221280012&to=%2B8615512345678&templateId=abcdefghabcdeghabcdegh&templateParas=%5B%22520520%22%5D&statusCallback=http%3A%2F%2F205.145.111.168%3A9330%2Freport&extend=job1&signature=%E5%8D%8E%E4%B8%BA%E4%BA%91")
        let fields = PlatformFormEncoding.fields(body)
        #expect(fields.first { $0.name == "to" }?.value == "+8615512345678")
        #expect(fields.first { $0.name == "signature" }?.value == "华为云")
    }

    @Test func diffBodyIsJSONWithEveryGroup() throws {
        let request = PlatformDiffSendRequest(from: "1069031221280012", smsContent: [
            PlatformSmsContent(to: ["+8615512345678", "+8615512345679"], templateId: "a", templateParas: ["062569"]),
            PlatformSmsContent(to: ["+8615512345680"], templateId: "b", signature: "sig"),
        ], statusCallback: "http://205.145.111.168:9330/report", extend: "x1")
        let body = PlatformSendRequest.diff(request).body()
        let decoded = try JSONDecoder().decode(PlatformDiffSendRequest.self, from: Data(body))
        #expect(decoded == request)
        #expect(String(decoding: body, as: UTF8.self).contains(#""statusCallback":"http://205.145.111.168:9330/report""#))
        #expect(PlatformSendRequest.diff(request).numbers == ["+8615512345678", "+8615512345679", "+8615512345680"])
    }
}
