import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct ChunkProtocolTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "chunks")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    private func runningJob(_ count: Int) async throws -> JobRecord {
        try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(count)), runner: runner)
    }

    @Test func aClaimIsCommittedInFlightBeforeItReturns() async throws {
        let job = try await runningJob(1200)
        let claim = try await store.claimChunk(for: job.id, runner: runner)
        let chunk = try #require(claim.chunk)
        #expect(chunk.numbers == Array(StoreFixtures.numbers(500)))
        #expect(chunk.sequence == 1)
        #expect(chunk.extendTag == "\(store.instanceTag)j1c1")
        #expect(!claim.isDrained)
        // A second connection (as another process would) already sees the in-flight record.
        let observer = try JobStore(dataDirectory: folder.path, clock: clock)
        #expect(try await observer.chunks(of: job.id).map(\.state) == [.inFlight])
        #expect(try await observer.summary(of: job.id).count(.sending) == 500)
        let history = try await observer.sendHistory(for: Array(chunk.numbers.prefix(3)), since: .distantPast)
        #expect(history.count == 3)
        #expect(history.values.allSatisfy { $0 == [SendRecord(contentKey: job.contentKey, sentAt: clock.now())] })
        let next = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        #expect(Set(next.numbers).isDisjoint(with: chunk.numbers))
        #expect(next.extendTag == "\(store.instanceTag)j1c2")
        let parsed = try #require(ChunkTag.parse(next.extendTag))
        #expect(parsed.instance == store.instanceTag && parsed.job == job.id && parsed.sequence == 2)
        #expect(try await store.chunk(withTag: next.extendTag)?.id == next.id)
    }

    @Test func anAnswerSetsEveryNumberOfTheChunk() async throws {
        let job = try await runningJob(8)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        let n = chunk.numbers
        clock.advance(by: 1)
        let requestStart = clock.now()
        clock.advance(by: 2)
        let answer = ChunkAnswer(requestStartedAt: requestStart, code: "E000510", description: "partly failed", outcomes: [
            n[0]: .accepted(smsMsgId: "m0"),
            n[1]: .accepted(smsMsgId: "m1"),
            n[2]: .failed(code: "E200041", description: "repeated number", failureClass: .retryable),
            n[3]: .notSent(code: "STOPPED", description: "job stopped"),
            n[4]: .retry,
            n[5]: .retryAt(clock.now().addingTimeInterval(600), reason: "platform flow control"),
            n[6]: .unconfirmed(description: "odd answer"),
        ], unlisted: .unconfirmed(description: "missing from the answer"))
        let settlement = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        #expect(settlement.accepted == 2 && settlement.failed == 1 && settlement.notSent == 1)
        #expect(settlement.requeued == 2 && settlement.unconfirmed == 2)
        let byNumber = Dictionary(uniqueKeysWithValues: try await store.numbers(of: job.id).map { ($0.e164!, $0) })
        #expect(byNumber[n[0]]?.state == .accepted && byNumber[n[0]]?.smsMsgId == "m0")
        #expect(byNumber[n[0]]?.acceptedAt == clock.now())
        #expect(byNumber[n[2]]?.state == .failed && byNumber[n[2]]?.code == "E200041" && byNumber[n[2]]?.stage == .submit)
        #expect(byNumber[n[3]]?.state == .notSent)
        #expect(byNumber[n[4]]?.state == .pending)
        #expect(byNumber[n[5]]?.state == .deferred)
        #expect(byNumber[n[6]]?.state == .unconfirmed && byNumber[n[7]]?.description == "missing from the answer")
        #expect(try await store.number(withMessageID: "m1")?.e164 == n[1])
        // History: moved to the request start; gone for the numbers that were not sent.
        let history = try await store.sendHistory(for: n, since: .distantPast)
        #expect(Set(history.keys) == Set([n[0], n[1], n[2], n[6], n[7]]))
        #expect(history[n[0]] == [SendRecord(contentKey: job.contentKey, sentAt: requestStart)])
        let record = try #require(try await store.chunks(of: job.id).first)
        #expect(record.state == .answered && record.answerCode == "E000510" && record.requestStartedAt == requestStart)
        await #expect(throws: StoreError.self) {
            try await store.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        }
        // The requeued number goes out in the next chunk; the deferred one waits for its time.
        let next = try await store.claimChunk(for: job.id, runner: runner)
        #expect(next.chunk?.numbers == [n[4]])
        #expect(next.nextDeferredDue == clock.now().addingTimeInterval(600))
    }

    @Test func anAmbiguousFailureLeavesTheChunkUnconfirmed() async throws {
        let job = try await runningJob(20)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 10).chunk)
        let settlement = try await store.markChunkUnconfirmed(chunk.id, runner: runner, reason: "timed out after sending",
                                                              requestStartedAt: clock.now())
        #expect(settlement.unconfirmed == 10)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.unconfirmed) == 10 && summary.count(.pending) == 10)
        let unconfirmed = try await store.numbers(of: job.id, states: [.unconfirmed])
        #expect(Set(unconfirmed.map(\.failureClass)) == [.unconfirmed])
        #expect(try await store.chunks(of: job.id).first?.state == .unconfirmed)
        // They are never claimed again.
        let rest = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        #expect(Set(rest.numbers).isDisjoint(with: chunk.numbers))
        #expect(try await store.events(of: job.id).contains { $0.kind == .unconfirmed })
    }

    @Test func aRequestThatNeverLeftGoesBackToTheQueue() async throws {
        let job = try await runningJob(5)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        let settlement = try await store.markChunkNotSent(chunk.id, runner: runner, reason: "connection refused")
        #expect(settlement.requeued == 5)
        #expect(try await store.sendHistory(for: chunk.numbers, since: .distantPast).isEmpty)
        let retry = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        #expect(retry.numbers == chunk.numbers)
        #expect(retry.extendTag != chunk.extendTag)
        #expect(try await store.chunks(of: job.id).map(\.state) == [.notSent, .inFlight])
    }

    @Test func aStaleRunnerCannotWriteAfterAnotherProcessTookOver() async throws {
        let job = try await runningJob(50)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 20).chunk)
        let successor = StoreFixtures.remoteLease("successor")
        await #expect(throws: StoreError.self) { try await store.resumeJob(job.id, runner: successor) }
        clock.advance(by: 121)  // no heartbeat for longer than the liveness limit
        #expect(try await store.abandonedJobs().map(\.id) == [job.id])
        let report = try await store.resumeJob(job.id, runner: successor)
        #expect(report.recoveredChunks == 1 && report.recoveredNumbers == 20)
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await store.recordChunkAnswer(chunk.id, runner: runner, answer: StoreFixtures.acceptAll(chunk, at: clock.now()))
        }
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await store.claimChunk(for: job.id, runner: runner)
        }
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.unconfirmed) == 20 && summary.count(.sending) == 0 && summary.count(.pending) == 30)
        let next = try #require(try await store.claimChunk(for: job.id, runner: successor).chunk)
        #expect(next.numbers.count == 30)
        #expect(Set(next.numbers).isDisjoint(with: chunk.numbers))
    }

    @Test func chunkSizeIsChecked() async throws {
        let job = try await runningJob(5)
        await #expect(throws: StoreError.self) { try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 501) }
        await #expect(throws: StoreError.self) { try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 0) }
    }
}
