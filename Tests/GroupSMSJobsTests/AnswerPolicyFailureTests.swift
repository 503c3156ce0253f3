import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSJobs
import Testing

/// Requests without a documented answer through the pure `AnswerPolicy` (SPEC §4): refused
/// before sending, provably not sent, or ambiguous (the platform may have taken them).
@Suite("Answer policy: refusals, transport failures and ambiguous answers")
struct AnswerPolicyFailureTests {
    typealias F = PolicyFixture

    static func failure(_ reason: PlatformTransportFailure.Reason) -> PlatformTransportFailure {
        PlatformTransportFailure(reason: reason, curlCode: 0, message: "test", url: "https://smsapi.example.com/sms/batchSendSms/v1")
    }

    /// An answer that is not the platform's: its numbers become unconfirmed.
    static let ambiguousVerdict = Verdict(.unconfirmed(startedAt: F.start), .backOff)

    @Test("a request the client refused to build fails the job as INVALID_REQUEST; nothing was sent",
          arguments: PlatformRequestRule.allCases)
    func invalidRequestFailsTheJob(rule: PlatformRequestRule) {
        let decision = F.policy().decide(.invalid(.invalidRequest(rule: rule, detail: "test")), numbers: F.numbers)
        #expect(Verdict(decision) == Verdict(.notSent, .fail(code: "INVALID_REQUEST")))
        #expect(decision.instruction.message.contains(rule.rawValue))
    }

    @Test("a request that provably never left goes back to the queue after a back-off",
          arguments: PlatformTransportFailure.Reason.allCases.filter { $0 != .shutDown })
    func notSentBacksOff(reason: PlatformTransportFailure.Reason) {
        let decision = F.policy().decide(.sent(start: F.start, .notSent(Self.failure(reason))), numbers: F.numbers)
        #expect(Verdict(decision) == Verdict(.notSent, .backOff))
    }

    @Test("a request whose runner's lease may have run out is not sent: its numbers go back, the runner goes on")
    func aLapsedLeaseSendsNothing() {
        let decision = F.policy().decide(.leaseLapsed, numbers: F.numbers)
        #expect(Verdict(decision) == Verdict(.notSent, .goOn(resetBackOff: false)))
        #expect(RequestOutcome(.leaseLapsed, decision) == .notSent)
    }

    @Test("a stopped transport pauses the job instead of backing off for ever")
    func stoppedTransportPauses() {
        let decision = F.policy().decide(.sent(start: F.start, .notSent(Self.failure(.shutDown))), numbers: F.numbers)
        guard case .pause(let code, let message) = decision.instruction else {
            Issue.record("expected a pause, got \(decision.instruction)")
            return
        }
        #expect(code == "TRANSPORT" && message.contains("resume the job"))
        guard case .notSent = decision.recording else { Issue.record("\(decision.recording)"); return }
    }

    @Test("a transport failure after the body may have left makes the numbers unconfirmed",
          arguments: PlatformTransportFailure.Reason.allCases)
    func ambiguousTransportFailure(reason: PlatformTransportFailure.Reason) {
        let decision = F.policy().decide(.sent(start: F.start, .ambiguous(Self.failure(reason))), numbers: F.numbers)
        #expect(Verdict(decision) == Self.ambiguousVerdict)
        guard case .unconfirmed(let why, _) = decision.recording else { return }
        #expect(why.contains(reason.rawValue))
    }

    /// HTTP answers that are not a documented answer of the platform (SPEC §4 (c)).
    static let ambiguousAnswers: [(http: Int, body: String, mentions: String)] = [
        (500, F.answer("000000", F.results("000000")), "HTTP 500 with code 000000"),
        (500, F.answer("E000510", F.results("E200028")), "HTTP 500 with code E000510"),
        (502, "", "HTTP 502"),
        (503, "<html><body>503 Service Unavailable</body></html>", "503 Service Unavailable"),
        (504, #"{"error_code":"APIGW.0308","error_msg":"The request is throttled."}"#, "APIGW.0308"),
        (429, #"{"error_code":"APIGW.0308","error_msg":"The request is throttled."}"#, "APIGW.0308"),
        (401, #"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information."}"#, "APIGW.0301"),
        (200, #"{"error_code":"APIGW.0101","error_msg":"The API does not exist."}"#, "APIGW.0101"),
        (200, #"{"code":"E123456","description":"something new"}"#, "undocumented code E123456"),
        (400, #"{"code":"E123456","description":"something new"}"#, "undocumented code E123456"),
        (200, #"{"description":"Success","result":[]}"#, "without a code"),
        (200, "{}", "without a code"),
        (200, "", "without a code"),
        (200, "OK", "without a code"),
        (404, "<html><body>Not Found</body></html>", "Not Found"),
        (200, #"{"code":"000000","description":"Success","result":[{"smsMsgId":"#, "without a code"),
        (200, String(F.answer("000000", F.results("000000")).dropLast(2)), "without a code"),
    ]

    @Test("an answer without a documented code below HTTP 500 is ambiguous: numbers unconfirmed, back off",
          arguments: ambiguousAnswers)
    func ambiguousAnswer(http: Int, body: String, mentions: String) {
        let decision = F.decide(http: http, body)
        #expect(Verdict(decision) == Self.ambiguousVerdict)
        guard case .unconfirmed(let why, _) = decision.recording else { return }
        #expect(why.contains(mentions), "\(why)")
    }

    /// Two ambiguous requests back off; the third in a row pauses the job (SPEC §4: "several
    /// ambiguous answers in a row pause the job with a message").
    @Test("the ambiguous streak: two back off, the third in a row pauses the job with code AMBIGUOUS",
          arguments: [(0, false), (1, false), (2, true), (5, true)])
    func ambiguousStreak(before: Int, pauses: Bool) {
        let transport = F.policy(streak: before).decide(.sent(start: F.start, .ambiguous(Self.failure(.timeout))),
                                                          numbers: F.numbers)
        let answer = F.decide(http: 503, "<html>busy</html>", streak: before)
        for decision in [transport, answer] {
            let expected = Verdict(.unconfirmed(startedAt: F.start), pauses ? .pause(code: "AMBIGUOUS") : .backOff)
            #expect(Verdict(decision) == expected)
            if pauses {
                #expect(decision.instruction.message.contains("\(AnswerPolicy.ambiguousLimit) requests in a row"))
                #expect(decision.instruction.message.contains("resume"))
            }
        }
    }

    @Test("a documented answer after ambiguous ones resets the back-off and does not pause")
    func documentedAnswerAfterAmbiguousOnes() {
        let decision = F.decide(http: 200, F.answer("000000", F.results("000000")), streak: 2)
        #expect(Verdict(decision).instruction == .goOn(resetBackOff: true))
    }
}
