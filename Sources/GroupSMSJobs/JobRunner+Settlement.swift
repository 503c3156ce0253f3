import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore

/// The parts of a request every chunk of a job shares.
struct ChunkContent: Sendable {
    var settings: JobSettings
    var statusCallback: String?

    func request(for chunk: ChunkPlan) -> PlatformSendRequest {
        guard chunk.valueGroups.isEmpty else {
            // A personalised job: one smsContent entry per tuple of values (batchSendDiffSms).
            let content = chunk.valueGroups.map {
                PlatformSmsContent(to: $0.numbers, templateId: settings.templateID,
                                   templateParas: $0.params.isEmpty ? nil : $0.params, signature: settings.signature)
            }
            return .diff(PlatformDiffSendRequest(from: settings.from, smsContent: content,
                                                 statusCallback: statusCallback, extend: chunk.extendTag))
        }
        return .batch(PlatformBatchSendRequest(from: settings.from, to: chunk.numbers, templateId: settings.templateID,
                                        templateParas: settings.params.isEmpty ? nil : settings.params,
                                        statusCallback: statusCallback, extend: chunk.extendTag,
                                        signature: settings.signature))
    }
}

/// A chunk and what became of its request, waiting to be settled by the run loop.
struct SettledChunk: Sendable {
    var chunk: ChunkPlan
    var result: ChunkSendResult
    /// Seconds from the request leaving to its result, when it left.
    var elapsed: TimeInterval?
}

extension JobRunner {
    /// Sends one chunk whose request was built before pacing and whose start the pacer granted,
    /// so nothing but the send itself happens between the grant and the request leaving.
    static func send(_ chunk: ChunkPlan, request: PlatformSendRequest, start: Date,
                     client: PlatformClient) async -> SettledChunk {
        do {
            return SettledChunk(chunk: chunk, result: .sent(start: start, try await client.send(request)))
        } catch {
            return SettledChunk(chunk: chunk, result: .invalid(error))
        }
    }

    /// Records a chunk's fate in the store as the answer policy decides, and follows its instruction.
    func settle(_ settled: SettledChunk) async throws {
        let chunk = settled.chunk
        progress.inFlight -= chunk.numbers.count
        if case .sent(let start, _) = settled.result {
            recentStarts.append((start, chunk.numbers.count))
            answeredOnce = true
        }
        let policy = AnswerPolicy(now: clock.now(), heldUntil: holdUntil, retryDelay: nextRetryDelay,
                                  ambiguousStreak: ambiguousStreak)
        let decision = policy.decide(settled.result, numbers: chunk.numbers)
        if case .sent = settled.result {
            if case .unconfirmed = decision.recording { ambiguousStreak += 1 } else { ambiguousStreak = 0 }
        }
        let settlement: ChunkSettlement
        do {
            settlement = try await record(decision.recording, of: chunk)
        } catch StoreError.leaseLost {
            // Another runner took the job over and settled this chunk; this one stops writing.
            stop(.leaseLost)
            return
        }
        let outcome = RequestOutcome(settled.result, decision)
        options.metrics.record(outcome, numbers: chunk.numbers.count, elapsed: settled.elapsed)
        logSettled(settled, outcome: outcome, recording: decision.recording, settlement: settlement)
        follow(decision.instruction)
        progress.deferred += decision.deferredByPlatform
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

    private func record(_ recording: ChunkRecording, of chunk: ChunkPlan) async throws -> ChunkSettlement {
        switch recording {
        case .notSent(let reason):
            return try await store.markChunkNotSent(chunk.id, runner: lease, reason: reason)
        case .unconfirmed(let reason, let start):
            return try await store.markChunkUnconfirmed(chunk.id, runner: lease, reason: reason, requestStartedAt: start)
        case .answered(let answer):
            return try await store.recordChunkAnswer(chunk.id, runner: lease, answer: answer)
        }
    }

    private func follow(_ instruction: RunnerInstruction) {
        switch instruction {
        case .goOn(let resetBackOff):
            if resetBackOff { nextRetryDelay = options.retryDelay }
        case .holdUntil(let until):
            holdUntil = max(holdUntil ?? until, until)
        case .backOff:
            holdUntil = clock.now().addingTimeInterval(nextRetryDelay)
            nextRetryDelay = min(options.maxRetryDelay, nextRetryDelay * 2)
        case .pause(let code, let message):
            stop(.platformPause(code: code, message: message))
        case .fail(let code, let message):
            stop(.fatal(code: code, message: message))
        }
    }
}
