import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import Synchronization
import Testing

/// The facets the catalogue contract tests use.
typealias CatalogueContractStore = any JobRecordStoring & CatalogueStoring

/// What the catalogue tests need from the runner's side: claiming a chunk and recording its
/// answer, so a job's numbers reach real outcomes before it is rerun.
///
/// Through `ChunkStoring` where the store answers it; the PostgreSQL store's own methods (the
/// same operations) until its chunk facet's conformance is merged.
enum CatalogueContractRunner {
    static func claim(_ store: CatalogueContractStore, job: JobID, runner: RunnerLease,
                      maxNumbers: Int) async throws -> ChunkPlan {
        if let chunks = store as? any ChunkStoring {
            return try #require(try await chunks.claimChunk(for: job, runner: runner, maxNumbers: maxNumbers).chunk)
        }
        let postgres = try #require(store as? PostgresJobStore)
        return try #require(try await postgres.claimChunk(for: job, runner: runner, maxNumbers: maxNumbers).chunk)
    }

    static func answer(_ store: CatalogueContractStore, chunk: ChunkID, runner: RunnerLease,
                       answer: ChunkAnswer) async throws {
        if let chunks = store as? any ChunkStoring {
            _ = try await chunks.recordChunkAnswer(chunk, runner: runner, answer: answer)
        } else {
            let postgres = try #require(store as? PostgresJobStore)
            _ = try await postgres.recordChunkAnswer(chunk, runner: runner, answer: answer)
        }
    }
}

/// A finished job with a number in each outcome a rerun tells apart, made through the runner's
/// operations. Positions: 0 accepted (no report yet), 1 E200041 (retryable), 2 opted-out,
/// 3 not sent (STOPPED), 4 unconfirmed, 5 invalid at submit; and an invalid import entry.
struct CatalogueMixedJob {
    let job: JobRecord
    let numbers: [String]

    static func make(_ store: CatalogueContractStore, clock: any WallClock) async throws -> CatalogueMixedJob {
        let runner = StoreContractFixture.runner("mixed")
        var draft = StoreContractFixture.draft(6, name: "mixed", rejected: [
            RejectedEntryDraft(fileIndex: 0, cell: "A20", original: "12ab", description: "letters in the number"),
        ])
        draft.params = ["1234"]
        let numbers = draft.numbers.map(\.e164)
        let job = try await store.createJob(draft, runner: runner)
        let chunk = try await CatalogueContractRunner.claim(store, job: job.id, runner: runner, maxNumbers: 10)
        #expect(chunk.numbers == numbers)
        let answer = ChunkAnswer(requestStartedAt: clock.now(), code: "E000510", description: "partly failed", outcomes: [
            numbers[0]: .accepted(smsMsgId: "mixed-0"),
            numbers[1]: .failed(code: "E200041", description: "repeated number", failureClass: .retryable),
            numbers[2]: .failed(code: "E200029", description: "the recipient opted out", failureClass: .optedOut),
            numbers[3]: .notSent(code: "STOPPED", description: "the job stopped"),
            numbers[4]: .unconfirmed(description: "missing from the answer"),
            numbers[5]: .failed(code: "E200002", description: "not a mobile number", failureClass: .invalid),
        ], unlisted: .unconfirmed(description: "missing from the answer"))
        try await CatalogueContractRunner.answer(store, chunk: chunk.id, runner: runner, answer: answer)
        _ = try await store.finishJob(job.id, runner: runner)
        return CatalogueMixedJob(job: job, numbers: numbers)
    }
}

/// The drafts a rerun's `prepare` was given.
final class SeenDrafts: Sendable {
    private let drafts = Mutex<[JobDraft]>([])

    /// A `prepare` that records its draft and passes it on unchanged.
    var recorder: @Sendable (JobDraft) throws -> JobDraft {
        { [self] draft in
            self.drafts.withLock { $0.append(draft) }
            return draft
        }
    }

    var last: JobDraft? { drafts.withLock { $0.last } }
}

/// A fault a test injects at a folder pick-up point or into a rerun's `prepare`.
struct CatalogueInjectedFault: Error, Equatable, CustomStringConvertible {
    var description: String { "injected fault" }
}
