import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSJobs
import Testing

/// `groupsms_requests_total{outcome}`: each answer-policy verdict counts under one outcome.
@Suite struct RequestOutcomeTests {
    typealias F = PolicyFixture

    private static func outcome(_ result: ChunkSendResult, streak: Int = 0) -> RequestOutcome {
        RequestOutcome(result, F.policy(streak: streak).decide(result, numbers: F.numbers))
    }

    private static func answered(_ http: Int, _ body: String) -> ChunkSendResult {
        .sent(start: F.start, .answered(PlatformResponse(httpStatus: http, body: Array(body.utf8))))
    }

    private static func transport(_ reason: PlatformTransportFailure.Reason) -> PlatformTransportFailure {
        AnswerPolicyFailureTests.failure(reason)
    }

    @Test func eachVerdictHasItsOutcome() {
        #expect(Self.outcome(Self.answered(200, F.answer("000000", F.results("000000")))) == .answered)
        #expect(Self.outcome(Self.answered(400, F.answer("E000510", F.results("000000", except: F.numbers[0], "E200027"))))
                == .answered)
        #expect(Self.outcome(Self.answered(200, F.answer("E200015"))) == .flowControl)
        #expect(Self.outcome(Self.answered(400, F.answer("E000623"))) == .paused)
        #expect(Self.outcome(Self.answered(401, F.answer("E000102"))) == .refused)
        #expect(Self.outcome(.sent(start: F.start, .notSent(Self.transport(.connectFailure)))) == .notSent)
        #expect(Self.outcome(.sent(start: F.start, .notSent(Self.transport(.shutDown)))) == .paused)
        #expect(Self.outcome(.sent(start: F.start, .ambiguous(Self.transport(.timeout)))) == .unconfirmed)
        #expect(Self.outcome(.sent(start: F.start, .ambiguous(Self.transport(.timeout))), streak: 2) == .paused)
        #expect(Self.outcome(.invalid(.invalidRequest(rule: PlatformRequestRule.allCases[0], detail: "test"))) == .invalid)
    }

    @Test func onlyRequestsThatMayHaveReachedThePlatformCountTheirNumbersAsSent() {
        let reached = RequestOutcome.allCases.filter(\.reachedPlatform)
        #expect(Set(reached) == [.answered, .flowControl, .paused, .refused, .unconfirmed])
    }
}
