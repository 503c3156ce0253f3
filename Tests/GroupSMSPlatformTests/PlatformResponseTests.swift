import Foundation
import Testing
@testable import GroupSMSPlatform

@Suite("Platform responses")
struct PlatformResponseTests {
    private func response(_ status: Int, _ json: String) -> PlatformResponse {
        PlatformResponse(httpStatus: status, body: Array(json.utf8))
    }

    private func results(_ statuses: [String]) -> String {
        statuses.enumerated().map { index, status in
            #"{"originTo":"+861311234567\#(index)","createTime":"2018-05-25T16:34:34Z","from":"1069031221280012","smsMsgId":"id_\#(index)","status":"\#(status)"}"#
        }.joined(separator: ",")
    }

    @Test func referenceExampleParses() {
        let answer = response(200, #"{"result":[{"originTo":"+8615512345678","createTime":"2018-05-25T16:34:34Z","from":"1069031221280012","smsMsgId":"d6e3cdd0-522b-4692-8304-a07553cdf591_8539659","status":"000000"}],"code":"000000","description":"Success"}"#)
        #expect(answer.outcome == .success)
        #expect(answer.code == "000000")
        #expect(answer.description == "Success")
        #expect(answer.results == [PlatformNumberResult(smsMsgId: "d6e3cdd0-522b-4692-8304-a07553cdf591_8539659", from: "1069031221280012",
                                                        originTo: "+8615512345678", status: "000000", createTime: "2018-05-25T16:34:34Z")])
    }

    @Test func outcomesFollowCodesAndStatuses() {
        #expect(response(400, #"{"code":"E000510","description":"x","result":[\#(results(["000000", "E200028"]))]}"#).outcome == .perNumber)
        #expect(response(200, #"{"code":"000000","description":"x","result":[\#(results(["000000", "E200041"]))]}"#).outcome == .perNumber)
        #expect(response(400, #"{"code":"E000510","description":"x","result":[\#(results(["E200015", "E200015"]))]}"#).outcome
                == .backOff(seconds: 600))
        #expect(response(400, #"{"code":"E000623","description":"x"}"#).outcome == .pause)
        #expect(response(400, #"{"code":"E000503","description":"x"}"#).outcome == .rejected)
        #expect(response(400, #"{"code":"E000000","description":"x"}"#).outcome == .rejected)
        #expect(response(403, #"{"code":"E000620","description":"x"}"#).outcome == .fatal)
        // SPEC §4: only a documented code below HTTP 500 is an answer; the rest is ambiguous.
        #expect(response(500, "<html>oops</html>").outcome == .ambiguous("HTTP 500"))
        #expect(response(503, #"{"code":"E000000","description":"x"}"#).outcome == .ambiguous("HTTP 503 with code E000000"))
        #expect(response(404, "not found").outcome == .ambiguous("HTTP 404 without a code"))
        #expect(response(401, "no json").outcome == .ambiguous("HTTP 401 without a code"))
        #expect(response(200, #"{"code":"E999999","description":"x"}"#).outcome
                == .ambiguous("HTTP 200 with the undocumented code E999999"))
        #expect(response(200, #"{"error_code":"APIGW.0308","error_msg":"The request is throttled"}"#).outcome
                == .ambiguous("HTTP 200 gateway answer APIGW.0308: The request is throttled"))
        #expect(response(200, #"{"code":"000000","result":[{"smsMsgId":"#).outcome == .ambiguous("HTTP 200 without a code"))
    }

    @Test func every401CodeAndE000620AreFatal() {
        for code in ["E000101", "E000102", "E000103", "E000104", "E000105", "E000106", "E000109", "E000110", "E000111", "E000112"] {
            #expect(response(401, #"{"code":"\#(code)","description":"x"}"#).outcome == .fatal, "\(code)")
        }
        #expect(response(403, #"{"code":"E000620","description":"x"}"#).outcome == .fatal)
    }

    @Test func unparseableBodiesKeepAnExcerpt() {
        let answer = response(502, "Bad gateway")
        #expect(answer.code == nil)
        #expect(answer.bodyExcerpt == "Bad gateway")
    }
}
