import Foundation
import GroupSMSModel
import GroupSMSStore

/// A data dir holding one finished job with a number in each delivery outcome, for tests that
/// run the `export-failed`, `rerun` and `suppress` commands against it.
///
/// Job `job-1` "cli" (as of 2026-12-01T00:00:00Z, every accepted number reported):
/// 0 DELIVRD, 1 UNDELIV (retryable), 2 BLACK (opted-out, suppressed), 3 E200041 at submit
/// (retryable), 4 unconfirmed, and the invalid entry `12ab` in A8.
public struct DeliveryCLIFixture: Sendable {
    /// The data dir.
    public let dataDirectory: String
    /// The job's id as the CLI prints it.
    public let jobID: String
    /// The job's five valid numbers in E.164, in position order.
    public let numbers: [String]

    /// The fixed time everything in the fixture happened at.
    public static let time = Date(timeIntervalSince1970: 1_796_083_200)

    /// Builds the data dir in `dataDirectory`.
    public static func make(in dataDirectory: String) async throws -> DeliveryCLIFixture {
        let clock = ManualWallClock(start: time)
        let store = try JobStore(dataDirectory: dataDirectory, clock: clock)
        let runner = StoreFixtures.remoteLease()
        let numbers = StoreFixtures.numbers(5, block: 7)
        var draft = StoreFixtures.draft(numbers, rejected: [
            RejectedEntryDraft(fileIndex: 0, cell: "A8", original: "12ab", description: "letters in the number"),
        ])
        draft.name = "cli"
        let job = try await store.createJob(draft, runner: runner)
        guard let chunk = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 5).chunk else {
            throw DeliveryCLIFixtureError(message: "the fixture job gave no chunk")
        }
        let answer = ChunkAnswer(requestStartedAt: clock.now(), code: "E000510", description: "partly failed", outcomes: [
            numbers[0]: .accepted(smsMsgId: "cli-0"), numbers[1]: .accepted(smsMsgId: "cli-1"),
            numbers[2]: .accepted(smsMsgId: "cli-2"),
            numbers[3]: .failed(code: "E200041", description: "repeated number", failureClass: .retryable),
            numbers[4]: .unconfirmed(description: "missing from the answer"),
        ], unlisted: .unconfirmed(description: "missing from the answer"))
        _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        _ = try await store.applyStatusReports([
            StatusReport(smsMsgId: "cli-0", status: "DELIVRD"), StatusReport(smsMsgId: "cli-1", status: "UNDELIV"),
            StatusReport(smsMsgId: "cli-2", status: "BLACK"),
        ])
        _ = try await store.finishJob(job.id, runner: runner)
        return DeliveryCLIFixture(dataDirectory: dataDirectory, jobID: job.id.description, numbers: numbers)
    }
}

/// The fixture could not be built.
public struct DeliveryCLIFixtureError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    public var description: String { message }
}
