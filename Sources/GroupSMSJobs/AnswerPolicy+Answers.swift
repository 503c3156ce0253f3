import Foundation
import GroupSMSModel
import GroupSMSPlatform

extension AnswerPolicy {
    /// The verdict on an answered request (SPEC §4: the code decides for the whole request,
    /// each number's status for itself).
    func decide(_ response: PlatformResponse, numbers: [String], start: Date) -> AnswerDecision {
        let code = response.code ?? "HTTP\(response.httpStatus)"
        let description = response.description ?? response.codeEntry?.meaning
            ?? "HTTP \(response.httpStatus): \(response.bodyExcerpt.prefix(200))"
        func whole(_ outcome: NumberOutcome, _ instruction: RunnerInstruction, deferred: Int = 0) -> AnswerDecision {
            let answer = ChunkAnswer(requestStartedAt: start, code: code, description: description, outcomes: [:],
                                     unlisted: outcome)
            return AnswerDecision(recording: .answered(answer), instruction: instruction, deferredByPlatform: deferred)
        }
        switch response.outcome {
        case .fatal:
            return whole(.notSent(code: code, description: description), .fail(
                code: code, message: "the platform refused the account or credentials (\(code): \(description)); "
                    + "fix the app key, secret or account and rerun the job"))
        case .pause:
            return whole(.retry, .pause(
                code: code, message: "the account's send limit is reached (\(description)); "
                    + "resume the job once the limit is raised or resets"))
        case .backOff(let seconds):
            let until = now.addingTimeInterval(seconds)
            let reason = "platform flow control (\(code)); retried after \(Int(seconds)) s"
            // A request refused whole (no results) was not processed: all of it waits. A number an
            // answer with results leaves out may have been taken: it is unconfirmed (SPEC §4).
            let unlisted: NumberOutcome = response.results.isEmpty
                ? .retryAt(until, reason: reason) : .unconfirmed(description: "missing from the platform's answer")
            var decision = perNumber(response, start: start, code: code, description: description,
                                     unlisted: unlisted,
                                     flowControlUntil: max(heldUntil ?? until, until))
            decision.instruction = .holdUntil(until)
            if response.results.isEmpty { decision.deferredByPlatform = numbers.count }
            return decision
        case .ambiguous(let what):
            return ambiguous(what + (response.bodyExcerpt.isEmpty ? "" : ": \(response.bodyExcerpt.prefix(200))"),
                             start: start)
        case .rejected:
            return whole(.notSent(code: code, description: description), .fail(
                code: code, message: "the platform refused the request's content (\(code): \(description)); "
                    + "check the template, parameters, signature and channel"))
        case .success, .perNumber:
            var decision = perNumber(response, start: start, code: code, description: description,
                                     unlisted: .unconfirmed(description: "missing from the platform's answer"),
                                     flowControlUntil: heldUntil ?? now.addingTimeInterval(PlatformOutcome.flowControlWait))
            if let problem = Self.wholeRequestProblem(in: response) { decision.instruction = problem }
            return decision
        }
    }

    /// The job's stop when a number's status is a problem of the whole request (E200028...):
    /// every later request would fail the same way, so the first answer that shows one ends it.
    static func wholeRequestProblem(in response: PlatformResponse) -> RunnerInstruction? {
        for result in response.results {
            guard let entry = PlatformCodeCatalogue.apiEntry(for: result.status), entry.codeClass == .wholeRequest else {
                continue
            }
            return .fail(code: result.status, message: "the platform refused \(result.originTo) with \(result.status) "
                         + "(\(entry.meaning)), which every number of the job would get; \(entry.action) "
                         + "The job's unsent numbers are kept as not-sent: rerun the job once it is fixed")
        }
        return nil
    }

    /// Each listed number's own outcome; `unlisted` for the chunk's numbers the answer leaves out.
    private func perNumber(_ response: PlatformResponse, start: Date, code: String, description: String,
                           unlisted: NumberOutcome, flowControlUntil: Date) -> AnswerDecision {
        var outcomes: [String: NumberOutcome] = [:]
        var deferred = 0
        for result in response.results where outcomes[result.originTo] == nil {
            let outcome = Self.outcome(for: result, flowControlUntil: flowControlUntil)
            if case .retryAt = outcome { deferred += 1 }
            outcomes[result.originTo] = outcome
        }
        let answer = ChunkAnswer(requestStartedAt: start, code: code, description: description, outcomes: outcomes,
                                 unlisted: unlisted)
        return AnswerDecision(recording: .answered(answer), instruction: .goOn(resetBackOff: true),
                              deferredByPlatform: deferred)
    }

    /// One number's outcome from its status in the answer.
    static func outcome(for result: PlatformNumberResult, flowControlUntil: Date) -> NumberOutcome {
        if result.isAccepted { return .accepted(smsMsgId: result.smsMsgId) }
        // A recipient or blocklist refusal (REJECTD, BLACK, SC:0003...) is opted out wherever it
        // appears, so it is never resent and goes onto the suppression list.
        if PlatformCodeCatalogue.reportEntry(for: result.status)?.codeClass == .optedOut {
            return .failed(code: result.status, description: PlatformCodeCatalogue.reportEntry(for: result.status)!.meaning,
                           failureClass: .optedOut)
        }
        let entry = PlatformCodeCatalogue.apiEntry(for: result.status)
        let meaning = entry?.meaning ?? "refused by the platform"
        switch entry?.codeClass {
        case .backOff?:
            return .retryAt(flowControlUntil, reason: "platform flow control (\(result.status))")
        case .optedOut?:
            return .failed(code: result.status, description: meaning, failureClass: .optedOut)
        default:
            return .failed(code: result.status, description: meaning, failureClass: .retryable)
        }
    }
}
