import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSJobs

/// Fixed inputs of the answer-policy tables: one chunk of three numbers, decided at one instant.
enum PolicyFixture {
    /// When every decision is made.
    static let now = Date(timeIntervalSince1970: 1_796_083_200)
    /// When the chunk's request left.
    static let start = now.addingTimeInterval(-2)
    /// The chunk's numbers.
    static let numbers = ["+8613100000001", "+8613100000002", "+8613100000003"]
    /// The end of a flow-control hold that starts now (E200015: about 10 minutes).
    static let flowControlEnd = now.addingTimeInterval(PlatformOutcome.flowControlWait)

    /// The policy as the runner builds it: no hold yet, a 1 s back-off step, `streak` ambiguous
    /// requests just before this one.
    static func policy(streak: Int = 0, heldUntil: Date? = nil) -> AnswerPolicy {
        AnswerPolicy(now: now, heldUntil: heldUntil, retryDelay: 1, ambiguousStreak: streak)
    }

    /// The decision on an HTTP answer with `body` to the fixture's chunk.
    static func decide(http: Int, _ body: String, streak: Int = 0, heldUntil: Date? = nil) -> AnswerDecision {
        let response = PlatformResponse(httpStatus: http, body: Array(body.utf8))
        return policy(streak: streak, heldUntil: heldUntil).decide(.sent(start: start, .answered(response)), numbers: numbers)
    }

    /// A send answer's JSON: `code`, a description and one result per (number, status).
    static func answer(_ code: String, _ results: [(number: String, status: String)] = []) -> String {
        let items = results.map { number, status in
            #"{"smsMsgId":"\#(messageID(number))","from":"8824110605","originTo":"\#(number)","#
                + #""status":"\#(status)","createTime":"2026-12-01T00:00:00Z"}"#
        }
        return #"{"code":"\#(code)","description":"answer \#(code)","result":[\#(items.joined(separator: ","))]}"#
    }

    /// The results of an answer where every number has `status`, except `number` which has `other`.
    static func results(_ status: String, except number: String? = nil, _ other: String = "") -> [(number: String, status: String)] {
        numbers.map { ($0, $0 == number ? other : status) }
    }

    /// The platform message ID the fixture's answers give `number`.
    static func messageID(_ number: String) -> String { "msg-\(number.suffix(4))" }
}

/// An `AnswerDecision` without its free text, so table rows can say exactly what they expect.
struct Verdict: Equatable, CustomStringConvertible {
    /// What the store records.
    enum Recording: Equatable {
        case notSent
        case unconfirmed(startedAt: Date)
        case answered(code: String, outcomes: [String: Outcome], unlisted: Outcome)
    }

    /// One number's outcome, without its description.
    enum Outcome: Equatable {
        case accepted(smsMsgId: String)
        case failed(code: String, FailureClass)
        case unconfirmed
        case notSent(code: String)
        case retry
        case retryAt(Date)
    }

    /// What the runner does next, without its message.
    enum Instruction: Equatable {
        case goOn(resetBackOff: Bool)
        case holdUntil(Date)
        case backOff
        case pause(code: String)
        case fail(code: String)
    }

    var recording: Recording
    var instruction: Instruction
    var deferred = 0

    init(_ recording: Recording, _ instruction: Instruction, deferred: Int = 0) {
        self.recording = recording
        self.instruction = instruction
        self.deferred = deferred
    }

    init(_ decision: AnswerDecision) {
        switch decision.recording {
        case .notSent: recording = .notSent
        case .unconfirmed(_, let startedAt): recording = .unconfirmed(startedAt: startedAt)
        case .answered(let answer):
            recording = .answered(code: answer.code, outcomes: answer.outcomes.mapValues(Outcome.init),
                                  unlisted: Outcome(answer.unlisted))
        }
        instruction = Instruction(decision.instruction)
        deferred = decision.deferredByPlatform
    }

    var description: String { "\(recording) → \(instruction), \(deferred) deferred" }

    /// What `number` of the chunk becomes (its own outcome, or the one for unlisted numbers).
    func outcome(of number: String) -> Outcome? {
        guard case .answered(_, let outcomes, let unlisted) = recording else { return nil }
        return outcomes[number] ?? unlisted
    }
}

extension Verdict.Outcome {
    init(_ outcome: NumberOutcome) {
        switch outcome {
        case .accepted(let id): self = .accepted(smsMsgId: id)
        case .failed(let code, _, let failureClass): self = .failed(code: code, failureClass)
        case .unconfirmed: self = .unconfirmed
        case .notSent(let code, _): self = .notSent(code: code)
        case .retry: self = .retry
        case .retryAt(let date, _): self = .retryAt(date)
        }
    }

    /// Accepted with the fixture's message ID for `number`.
    static func accepted(_ number: String) -> Self { .accepted(smsMsgId: PolicyFixture.messageID(number)) }
}

extension Verdict.Instruction {
    init(_ instruction: RunnerInstruction) {
        switch instruction {
        case .goOn(let reset): self = .goOn(resetBackOff: reset)
        case .holdUntil(let date): self = .holdUntil(date)
        case .backOff: self = .backOff
        case .pause(let code, _): self = .pause(code: code)
        case .fail(let code, _): self = .fail(code: code)
        }
    }
}

extension RunnerInstruction {
    /// The message of a pause or a failure (empty for the others).
    var message: String {
        switch self {
        case .pause(_, let message), .fail(_, let message): return message
        case .goOn, .holdUntil, .backOff: return ""
        }
    }
}
