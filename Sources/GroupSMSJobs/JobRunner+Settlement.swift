import Foundation
import GroupSMSModel
import GroupSMSPlatform

/// The parts of a request every chunk of a job shares.
struct ChunkContent: Sendable {
    var from: String
    var templateID: String
    var params: [String]
    var signature: String?
    var statusCallback: String?

    init(job: JobRecord, statusCallback: String?) {
        from = job.from
        templateID = job.templateID
        params = job.params
        signature = job.signature
        self.statusCallback = statusCallback
    }

    func request(for chunk: ChunkPlan) -> PlatformSendRequest {
        .batch(PlatformBatchSendRequest(from: from, to: chunk.numbers, templateId: templateID,
                                        templateParas: params.isEmpty ? nil : params,
                                        statusCallback: statusCallback, extend: chunk.extendTag,
                                        signature: signature))
    }
}

/// What happened to one chunk's request, before it is recorded.
enum ChunkSendResult: Sendable {
    /// The request left at `start`; the client's result.
    case sent(ChunkPlan, start: Date, PlatformSendResult)
    /// The request never left: waiting in the pacer was cancelled.
    case notStarted(ChunkPlan, reason: String)
    /// The client refused to build the request (its content breaks a platform rule).
    case invalid(ChunkPlan, PlatformError)
}

extension JobRunner {
    /// Sends one chunk whose request was built before pacing and whose start the pacer granted,
    /// so nothing but the send itself happens between the grant and the request leaving.
    static func send(_ chunk: ChunkPlan, request: PlatformSendRequest, start: Date,
                     client: PlatformClient) async -> ChunkSendResult {
        do {
            return .sent(chunk, start: start, try await client.send(request))
        } catch {
            return .invalid(chunk, error)
        }
    }

    /// Records a chunk's fate in the store and decides whether the job may go on.
    func settle(_ result: ChunkSendResult) async throws {
        let settlement: ChunkSettlement
        switch result {
        case .notStarted(let chunk, let reason):
            progress.inFlight -= chunk.numbers.count
            settlement = try await store.markChunkNotSent(chunk.id, runner: lease, reason: reason)
        case .invalid(let chunk, let error):
            progress.inFlight -= chunk.numbers.count
            settlement = try await store.markChunkNotSent(chunk.id, runner: lease, reason: "request refused before sending")
            stop(.fatal(code: "INVALID_REQUEST", message: "the request cannot be sent: \(error)"))
        case .sent(let chunk, let start, let outcome):
            progress.inFlight -= chunk.numbers.count
            recentStarts.append((start, chunk.numbers.count))
            answeredOnce = true
            settlement = try await record(outcome, of: chunk, start: start)
        }
        progress.accepted += settlement.accepted
        progress.failed += settlement.failed
        progress.unconfirmed += settlement.unconfirmed
        progress.notSent += settlement.notSent
        report()
    }

    /// Applies the first stop reason; later ones do not replace it.
    func stop(_ reason: Halt) {
        if halt == nil { halt = reason }
    }

    /// Holds new claims for the current retry delay, then doubles it.
    private func backOffAfterFailure() {
        holdUntil = clock.now().addingTimeInterval(nextRetryDelay)
        nextRetryDelay = min(options.maxRetryDelay, nextRetryDelay * 2)
    }

    private func record(_ result: PlatformSendResult, of chunk: ChunkPlan, start: Date) async throws -> ChunkSettlement {
        switch result {
        case .notSent(let failure):
            backOffAfterFailure()
            return try await store.markChunkNotSent(chunk.id, runner: lease, reason: "not sent: \(failure)")
        case .ambiguous(let failure):
            return try await store.markChunkUnconfirmed(chunk.id, runner: lease,
                                                        reason: "the request may have reached the platform: \(failure)",
                                                        requestStartedAt: start)
        case .answered(let response):
            return try await store.recordChunkAnswer(chunk.id, runner: lease,
                                                     answer: answer(for: response, chunk: chunk, start: start))
        }
    }

    /// Turns the platform's answer into per-number outcomes, and sets holds and stops.
    private func answer(for response: PlatformResponse, chunk: ChunkPlan, start: Date) -> ChunkAnswer {
        let code = response.code ?? "HTTP\(response.httpStatus)"
        let description = response.description ?? response.codeEntry?.meaning
            ?? "HTTP \(response.httpStatus): \(response.bodyExcerpt.prefix(200))"
        func whole(_ outcome: NumberOutcome) -> ChunkAnswer {
            ChunkAnswer(requestStartedAt: start, code: code, description: description, outcomes: [:], unlisted: outcome)
        }
        switch response.outcome {
        case .fatal:
            stop(.fatal(code: code, message: "the platform refused the account or credentials (\(code): \(description)); "
                        + "fix the app key, secret or account and rerun the job"))
            return whole(.notSent(code: code, description: description))
        case .pause:
            stop(.platformPause(code: code, message: "the account's send limit is reached (\(description)); "
                                + "resume the job once the limit is raised or resets"))
            return whole(.retry)
        case .backOff(let seconds):
            let until = clock.now().addingTimeInterval(seconds)
            holdUntil = max(holdUntil ?? until, until)
            progress.deferred += response.results.isEmpty ? chunk.numbers.count : 0
            return perNumber(response, chunk: chunk, start: start, code: code, description: description,
                             unlisted: .retryAt(until, reason: "platform flow control (\(code)); retried after \(Int(seconds)) s"))
        case .transient:
            backOffAfterFailure()
            return whole(.retryAt(holdUntil ?? clock.now(), reason: "platform error (\(code)); retried with back-off"))
        case .rejected:
            stop(.fatal(code: code, message: "the platform refused the request's content (\(code): \(description)); "
                        + "check the template, parameters, signature and channel"))
            return whole(.notSent(code: code, description: description))
        case .success, .perNumber:
            nextRetryDelay = options.retryDelay
            return perNumber(response, chunk: chunk, start: start, code: code, description: description,
                             unlisted: .unconfirmed(description: "missing from the platform's answer"))
        }
    }

    private func perNumber(_ response: PlatformResponse, chunk: ChunkPlan, start: Date, code: String,
                           description: String, unlisted: NumberOutcome) -> ChunkAnswer {
        var outcomes: [String: NumberOutcome] = [:]
        for result in response.results where outcomes[result.originTo] == nil {
            outcomes[result.originTo] = outcome(for: result)
        }
        return ChunkAnswer(requestStartedAt: start, code: code, description: description, outcomes: outcomes,
                           unlisted: unlisted)
    }

    private func outcome(for result: PlatformNumberResult) -> NumberOutcome {
        if result.isAccepted { return .accepted(smsMsgId: result.smsMsgId) }
        let entry = PlatformCodeCatalogue.apiEntry(for: result.status)
        let meaning = entry?.meaning ?? "refused by the platform"
        switch entry?.codeClass {
        case .backOff?:
            progress.deferred += 1
            let until = holdUntil ?? clock.now().addingTimeInterval(PlatformOutcome.flowControlWait)
            return .retryAt(until, reason: "platform flow control (\(result.status))")
        case .optedOut?:
            return .failed(code: result.status, description: meaning, failureClass: .optedOut)
        default:
            return .failed(code: result.status, description: meaning, failureClass: .retryable)
        }
    }
}
