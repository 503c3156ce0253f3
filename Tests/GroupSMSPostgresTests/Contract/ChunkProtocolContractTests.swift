import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Claiming a chunk and recording its outcome (SPEC §4), the same on both stores.
@Suite("Store contract: chunk protocol")
struct ChunkProtocolContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aClaimIsCommittedInFlightBeforeItReturns(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(1200), runner: runner)
        let claim = try await store.claimChunk(for: job, runner: runner)
        let chunk = try #require(claim.chunk)
        #expect(chunk.numbers == StoreFixtures.numbers(500) && chunk.sequence == 1 && !claim.isDrained)
        let tag = try #require(ChunkTag.parse(chunk.extendTag))
        #expect(tag.job == job && tag.sequence == 1)
        // Another process already sees the in-flight record.
        let observer = try await fixture.chunkStore()
        #expect(try await observer.chunks(of: job, state: nil).map(\.state) == [.inFlight])
        #expect(try await observer.summary(of: job).count(.sending) == 500)
        let sending = try await observer.numbers(of: job, states: [.sending], afterPosition: -1, limit: 10_000)
        #expect(sending.map(\.e164) == chunk.numbers && sending.allSatisfy { $0.chunkID == chunk.id })
        let next = try #require(try await store.claimChunk(for: job, runner: runner).chunk)
        #expect(Set(next.numbers).isDisjoint(with: chunk.numbers) && next.sequence == 2)
        #expect(try await observer.chunks(of: job, state: .inFlight).map(\.sequence) == [1, 2])
        await fixture.close(observer)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func anAnswerSetsEveryNumberOfTheChunk(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease(), clock = fixture.clock
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(8), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: job, runner: runner).chunk)
        let n = chunk.numbers
        clock.advance(by: 1)
        let requestStart = clock.now()
        clock.advance(by: 2)
        let answer = ChunkAnswer(requestStartedAt: requestStart, code: "E000510", description: "partly failed", outcomes: [
            n[0]: .accepted(smsMsgId: "m0"), n[1]: .accepted(smsMsgId: "m1"),
            n[2]: .failed(code: "E200041", description: "repeated number", failureClass: .retryable),
            n[3]: .notSent(code: "STOPPED", description: "job stopped"), n[4]: .retry,
            n[5]: .retryAt(clock.now().addingTimeInterval(600), reason: "platform flow control"),
            n[6]: .unconfirmed(description: "odd answer"),
        ], unlisted: .unconfirmed(description: "missing from the answer"))
        let settlement = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        #expect(settlement.accepted == 2 && settlement.failed == 1 && settlement.notSent == 1)
        #expect(settlement.requeued == 2 && settlement.unconfirmed == 2)
        let numbers = try await store.numbers(of: job, states: nil, afterPosition: -1, limit: 100)
        let byNumber = Dictionary(uniqueKeysWithValues: numbers.map { ($0.e164!, $0) })
        #expect(byNumber[n[0]]?.state == .accepted && byNumber[n[0]]?.smsMsgId == "m0")
        #expect(byNumber[n[0]]?.acceptedAt == clock.now())
        #expect(byNumber[n[2]]?.state == .failed && byNumber[n[2]]?.code == "E200041" && byNumber[n[2]]?.stage == .submit)
        #expect(byNumber[n[3]]?.state == .notSent && byNumber[n[3]]?.failureClass == .retryable)
        #expect(byNumber[n[4]]?.state == .pending && byNumber[n[4]]?.chunkID == nil)
        #expect(byNumber[n[5]]?.state == .deferred && byNumber[n[5]]?.code == DeferralReason.flowControl)
        #expect(byNumber[n[6]]?.state == .unconfirmed && byNumber[n[7]]?.description == "missing from the answer")
        #expect(try await store.number(withMessageID: "m1")?.e164 == n[1])
        #expect(try await store.number(withMessageID: "nobody") == nil)
        let record = try #require(try await store.chunks(of: job, state: nil).first)
        #expect(record.state == .answered && record.answerCode == "E000510" && record.requestStartedAt == requestStart)
        #expect(record.size == 8 && record.answeredAt == clock.now())
        await #expect(throws: StoreError.self) {
            try await store.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        }
        // The requeued number lost its send (a limit of one a minute lets it go at once); the
        // deferred one waits for its time.
        let next = try await store.claimChunk(for: job, runner: runner, maxNumbers: 500, limits: ChunkContract.onePerMinute,
                                              pace: nil, zones: nil)
        #expect(next.chunk?.numbers == [n[4]] && next.deferred == 0)
        #expect(next.nextDeferredDue == clock.now().addingTimeInterval(600))
        await fixture.close(store)
    }

    /// At most once: an ambiguous failure leaves the numbers unconfirmed, and no later claim or
    /// answer brings them back.
    @Test(arguments: StoreBackend.allCases)
    func anUnconfirmedChunkIsNeverClaimedOrAnsweredAgain(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(20), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: job, runner: runner, maxNumbers: 10).chunk)
        let settlement = try await store.markChunkUnconfirmed(chunk.id, runner: runner, reason: "timed out after sending",
                                                              requestStartedAt: fixture.clock.now())
        #expect(settlement.unconfirmed == 10)
        let summary = try await store.summary(of: job)
        #expect(summary.count(.unconfirmed) == 10 && summary.count(.pending) == 10)
        let unconfirmed = try await store.numbers(of: job, states: [.unconfirmed], afterPosition: -1, limit: 100)
        #expect(Set(unconfirmed.map(\.failureClass)) == [.unconfirmed] && Set(unconfirmed.map(\.code)) == ["UNCONFIRMED"])
        #expect(try await store.chunks(of: job, state: nil).map(\.state) == [.unconfirmed])
        await #expect(throws: StoreError.self) {
            try await store.recordChunkAnswer(chunk.id, runner: runner,
                                              answer: StoreFixtures.acceptAll(chunk, at: fixture.clock.now()))
        }
        await #expect(throws: StoreError.self) {
            try await store.markChunkNotSent(chunk.id, runner: runner, reason: "too late")
        }
        let rest = try #require(try await store.claimChunk(for: job, runner: runner).chunk)
        #expect(Set(rest.numbers).isDisjoint(with: chunk.numbers) && rest.numbers.count == 10)
        let after = try await store.claimChunk(for: job, runner: runner)
        #expect(after.chunk == nil && after.isDrained)
        #expect(try await store.summary(of: job).count(.unconfirmed) == 10)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRequestThatNeverLeftGoesBackToTheQueueWithoutItsSend(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(5), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: job, runner: runner).chunk)
        let settlement = try await store.markChunkNotSent(chunk.id, runner: runner, reason: "connection refused")
        #expect(settlement.requeued == 5)
        // Its sends are forgotten: under a limit of one a minute the numbers go again at once.
        let retry = try await store.claimChunk(for: job, runner: runner, maxNumbers: 500, limits: ChunkContract.onePerMinute,
                                               pace: nil, zones: nil)
        #expect(retry.chunk?.numbers == chunk.numbers && retry.deferred == 0)
        #expect(retry.chunk?.extendTag != chunk.extendTag)
        let chunks = try await store.chunks(of: job, state: nil)
        #expect(chunks.map(\.state) == [.notSent, .inFlight] && chunks.first?.answerDescription == "connection refused")
        #expect(try await store.chunks(of: job, state: .notSent).map(\.id) == [chunk.id])
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func numbersArePagedInFileOrder(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let rejected = [RejectedEntryDraft(fileIndex: 0, cell: "A99", original: "12ab", description: "not a number")]
        let draft = StoreFixtures.draft(StoreFixtures.numbers(7), rejected: rejected)
        let job = try await store.createJob(draft, runner: runner).id
        let first = try await store.numbers(of: job, states: nil, afterPosition: -1, limit: 3)
        #expect(first.map(\.position) == [0, 1, 2] && first[0].sourceFile == "recipients.xlsx" && first[0].cell == "A2")
        let second = try await store.numbers(of: job, states: nil, afterPosition: first.last!.position, limit: 10)
        #expect(second.map(\.position) == [3, 4, 5, 6, 7])
        let invalid = try await store.numbers(of: job, states: [.failed], afterPosition: -1, limit: 10)
        #expect(invalid.count == 1 && invalid[0].e164 == nil && invalid[0].original == "12ab" && invalid[0].stage == .import)
        await #expect(throws: StoreError.self) {
            try await store.numbers(of: JobID(999), states: nil, afterPosition: -1, limit: 10)
        }
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func chunkSizeIsChecked(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let job = try await ChunkContract.runningJob(store, StoreFixtures.numbers(5), runner: runner)
        await #expect(throws: StoreError.self) { try await store.claimChunk(for: job, runner: runner, maxNumbers: 501) }
        await #expect(throws: StoreError.self) { try await store.claimChunk(for: job, runner: runner, maxNumbers: 0) }
        await fixture.close(store)
    }
}
