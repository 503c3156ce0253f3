import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

/// A finished job with one number in every outcome, for the rerun and export tests.
///
/// Position: 0 delivered, 1 UNDELIV (retryable), 2 BLACK (opted-out, suppressed), 3 no report for
/// 72 h (EXPIRED), 4 E200041 at submit (retryable), 5 not sent (STOPPED), 6 unconfirmed,
/// 7 LOCAL_LIMIT, 8 an invalid entry.
struct MixedJob {
    let job: JobRecord
    let numbers: [String]
    let invalidOriginal = "12ab, \"x\""

    static func make(store: JobStore, clock: ManualWallClock, runner: RunnerLease) async throws -> MixedJob {
        let numbers = StoreFixtures.numbers(8, block: 7)
        var draft = StoreFixtures.draft(numbers, maxDefer: 0,
                                        rejected: [RejectedEntryDraft(fileIndex: 0, cell: "A10", original: "12ab, \"x\"",
                                                                      description: "letters in the number")])
        draft.name = "mixed"
        let job = try await store.createJob(draft, runner: runner)
        // 15 sends in the last minute: the 16th breaks the per-minute limit and max-defer is 0.
        for _ in 0..<15 { try await store.recordSends(of: [numbers[7]], contentKey: job.contentKey, at: clock.now()) }
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 8).chunk)
        #expect(chunk.numbers == Array(numbers.prefix(7)))
        let answer = ChunkAnswer(requestStartedAt: clock.now(), code: "E000510", description: "partly failed", outcomes: [
            numbers[0]: .accepted(smsMsgId: "mix-0"), numbers[1]: .accepted(smsMsgId: "mix-1"),
            numbers[2]: .accepted(smsMsgId: "mix-2"), numbers[3]: .accepted(smsMsgId: "mix-3"),
            numbers[4]: .failed(code: "E200041", description: "repeated number", failureClass: .retryable),
            numbers[5]: .notSent(code: "STOPPED", description: "the job stopped"),
            numbers[6]: .unconfirmed(description: "missing from the answer"),
        ], unlisted: .unconfirmed(description: "missing from the answer"))
        _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        _ = try await store.applyStatusReports([
            StatusReport(smsMsgId: "mix-0", status: "DELIVRD"), StatusReport(smsMsgId: "mix-1", status: "UNDELIV"),
            StatusReport(smsMsgId: "mix-2", status: "BLACK"),
        ])
        clock.advance(by: 72 * 3600)
        #expect(try await store.expireOverdueReports() == 1)
        _ = try await store.finishJob(job.id, runner: runner)
        return MixedJob(job: job, numbers: numbers)
    }
}
