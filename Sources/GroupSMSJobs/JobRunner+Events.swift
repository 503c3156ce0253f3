import Foundation
import GroupSMSModel
import GroupSMSStore
import Logging

/// The runner's structured event lines (`--log-format json`): one per run start and end and per
/// settled chunk at info, one per answered number (with its smsMsgId) at debug. Numbers'
/// addresses and platform credentials are never in them.
extension JobRunner {
    func logRunStarted(queued: Int) {
        options.events?.info("run started", metadata: [
            "event": "job.run.started", "job": "\(jobID)", "queued": "\(queued)",
        ])
    }

    func logRunEnded(_ outcome: JobRunOutcome) {
        options.events?.info("run ended: \(outcome)", metadata: ["event": "job.run.ended", "job": "\(jobID)"])
    }

    /// One line for the chunk, then (at debug) one per number the platform answered for.
    func logSettled(_ settled: SettledChunk, outcome: RequestOutcome, recording: ChunkRecording,
                    settlement: ChunkSettlement) {
        guard let events = options.events else { return }
        let chunk = settled.chunk
        var metadata: Logger.Metadata = [
            "event": "chunk.settled", "job": "\(jobID)", "chunk": "\(chunk.id.rawValue)", "extend": "\(chunk.extendTag)",
            "numbers": "\(chunk.numbers.count)", "outcome": "\(outcome.rawValue)",
            "accepted": "\(settlement.accepted)", "failed": "\(settlement.failed)",
            "unconfirmed": "\(settlement.unconfirmed)", "notSent": "\(settlement.notSent)",
        ]
        if let elapsed = settled.elapsed { metadata["seconds"] = "\(String(format: "%.3f", elapsed))" }
        if case .answered(let answer) = recording { metadata["code"] = "\(answer.code)" }
        events.info("chunk \(chunk.sequence) settled: \(outcome.rawValue)", metadata: metadata)
        guard events.logLevel <= .debug, case .answered(let answer) = recording else { return }
        for number in chunk.numbers {
            guard case .accepted(let smsMsgId) = answer.outcomes[number] ?? answer.unlisted else { continue }
            events.debug("number accepted", metadata: [
                "event": "number.accepted", "job": "\(jobID)", "chunk": "\(chunk.id.rawValue)", "smsMsgId": "\(smsMsgId)",
            ])
        }
    }
}
