import Foundation
import GroupSMSModel
import GroupSMSPlatform

/// What became of one chunk's request, as the runner saw it: the input of `AnswerPolicy`.
public enum ChunkSendResult: Sendable, Equatable {
    /// The request left at `start`; the client's result.
    case sent(start: Date, PlatformSendResult)
    /// The client refused to build the request (its content breaks a platform rule).
    case invalid(PlatformError)
    /// The runner's lease might have run out before the request was to leave (the process was
    /// stopped or starved): it was not sent, since another runner may own the job now.
    case leaseLapsed
}

/// What the runner does next, after a chunk's fate is recorded.
public enum RunnerInstruction: Sendable, Equatable {
    /// Carry on. `resetBackOff`: the platform answered normally, so the retry back-off starts
    /// again from its first step.
    case goOn(resetBackOff: Bool)
    /// Carry on, but claim nothing before `until` (platform flow control).
    case holdUntil(Date)
    /// Claim nothing for the runner's current back-off step, and lengthen the step.
    case backOff
    /// Stop claiming and pause the job; `resume` continues it.
    case pause(code: String, message: String)
    /// Stop claiming and fail the job.
    case fail(code: String, message: String)
}

/// How the store records a chunk's numbers.
public enum ChunkRecording: Sendable, Equatable {
    /// The request provably never reached the platform: its numbers go back to the queue.
    case notSent(reason: String)
    /// The request may have reached the platform: its numbers become unconfirmed.
    case unconfirmed(reason: String, requestStartedAt: Date)
    /// The platform answered: each number takes its own outcome.
    case answered(ChunkAnswer)
}

/// The policy's whole verdict on one request.
public struct AnswerDecision: Sendable, Equatable {
    /// What the store records.
    public var recording: ChunkRecording
    /// What the runner does next.
    public var instruction: RunnerInstruction
    /// Numbers put off by platform flow control, for the progress line.
    public var deferredByPlatform: Int
}

/// Turns (the request, what the transport saw, the platform's answer) into per-number outcomes
/// and one instruction for the runner. It changes no state: the runner applies its decisions.
public struct AnswerPolicy: Sendable {
    /// The current instant.
    public var now: Date
    /// When the runner already holds claims until (a flow-control wait seen earlier), if later than now.
    public var heldUntil: Date?
    /// The runner's current back-off step, in seconds.
    public var retryDelay: TimeInterval
    /// Requests in a row, just before this one, that ended ambiguous.
    public var ambiguousStreak: Int

    /// Ambiguous requests in a row that pause the job: the platform or the path to it is
    /// unhealthy, and going on would only make more numbers unconfirmed.
    public static let ambiguousLimit = 3

    /// A policy for decisions made at `now`.
    public init(now: Date, heldUntil: Date? = nil, retryDelay: TimeInterval, ambiguousStreak: Int = 0) {
        self.now = now
        self.heldUntil = heldUntil
        self.retryDelay = retryDelay
        self.ambiguousStreak = ambiguousStreak
    }

    /// The verdict on `result` for the numbers of `chunk`.
    public func decide(_ result: ChunkSendResult, numbers: [String]) -> AnswerDecision {
        switch result {
        case .leaseLapsed:
            return AnswerDecision(recording: .notSent(reason: "the runner's lease ran out before the request left"),
                                  instruction: .goOn(resetBackOff: false), deferredByPlatform: 0)
        case .invalid(let error):
            return AnswerDecision(recording: .notSent(reason: "request refused before sending"),
                                  instruction: .fail(code: "INVALID_REQUEST", message: "the request cannot be sent: \(error)"),
                                  deferredByPlatform: 0)
        case .sent(_, .notSent(let failure)) where failure.reason == .shutDown:
            // The process's transport has stopped (its driver failed): nothing more can leave, so
            // backing off would only wait forever.
            return AnswerDecision(recording: .notSent(reason: "not sent: \(failure)"), instruction: .pause(
                code: "TRANSPORT", message: "this process can no longer send (\(failure)); resume the job to go on"),
                deferredByPlatform: 0)
        case .sent(_, .notSent(let failure)):
            return AnswerDecision(recording: .notSent(reason: "not sent: \(failure)"), instruction: .backOff,
                                  deferredByPlatform: 0)
        case .sent(let start, .ambiguous(let failure)):
            return ambiguous("\(failure)", start: start)
        case .sent(let start, .answered(let response)):
            return decide(response, numbers: numbers, start: start)
        }
    }

    /// The verdict on a request whose outcome cannot be proven: its numbers become unconfirmed
    /// (never resent by themselves), claims back off, and a run of them pauses the job.
    func ambiguous(_ what: String, start: Date) -> AnswerDecision {
        let recording = ChunkRecording.unconfirmed(reason: "the request may have reached the platform: \(what)",
                                                   requestStartedAt: start)
        guard ambiguousStreak + 1 >= Self.ambiguousLimit else {
            return AnswerDecision(recording: recording, instruction: .backOff, deferredByPlatform: 0)
        }
        let message = "\(Self.ambiguousLimit) requests in a row had no provable outcome (last: \(what)); the platform "
            + "or the path to it is unhealthy. Their numbers are unconfirmed and will not be resent by themselves; "
            + "check the endpoint, then resume the job"
        return AnswerDecision(recording: recording, instruction: .pause(code: "AMBIGUOUS", message: message),
                              deferredByPlatform: 0)
    }
}
