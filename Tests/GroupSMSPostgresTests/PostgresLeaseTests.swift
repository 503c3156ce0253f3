import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import Testing

@Suite struct PostgresLeaseTests {
    /// Eight daemons (eight connection pools) start the same due job at the same instant: one
    /// gets it, with fencing token 1; the seven others are refused.
    @Test func aJobStartsOnceWhenManyRunnersTryAtOnce() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        var stores: [PostgresJobStore] = []
        for _ in 0..<8 { stores.append(try await fixture.store()) }
        let job = try await stores[0].createJob(PostgresJobStoreFixture.draft(10))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    do {
                        _ = try await store.startJob(job.id, runner: PostgresJobStoreFixture.runner("d\(index)"))
                        return true
                    } catch StoreError.transitionRefused(_, let state, _, _) {
                        return state == .running ? false : true
                    } catch {
                        return true
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1, "exactly one start, the others refused as already running")
        var holders: [FencedLease] = []
        for store in stores { if let lease = await store.lease(of: job.id) { holders.append(lease) } }
        #expect(holders.count == 1 && holders.first?.fencingToken == 1)
        let stored = try await stores[0].job(job.id)
        #expect(stored.state == .running && stored.runner?.token == holders.first?.runner.token)
        for store in stores { await store.close() }
    }

    /// Runner A stops renewing with a chunk in flight. Before the lease runs out B is refused;
    /// after it, B takes over: A's chunk and its numbers are unconfirmed, B holds token 2.
    /// A then comes back (as after SIGSTOP/SIGCONT): it can neither renew, claim, nor write the
    /// answer of its chunk, and nothing it tried changed a number.
    @Test func anExpiredLeaseIsTakenOverAndTheStaleRunnerCanNeitherClaimNorWrite() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        let daemonA = try await fixture.store(), daemonB = try await fixture.store()
        let a = PostgresJobStoreFixture.runner("a"), b = PostgresJobStoreFixture.runner("b")
        let job = try await daemonA.createJob(PostgresJobStoreFixture.draft(30))
        _ = try await daemonA.startJob(job.id, runner: a)
        let claim = try await daemonA.claimChunk(for: job.id, runner: a, maxNumbers: 10)
        let chunk = try #require(claim.chunk)
        #expect(chunk.numbers.count == 10)

        fixture.clock.advance(by: 14)
        await #expect(throws: StoreError.self) { _ = try await daemonB.resumeJob(job.id, runner: b) }
        fixture.clock.advance(by: 2)
        #expect(try await daemonB.abandonedJobs().map(\.id) == [job.id])
        let report = try await daemonB.resumeJob(job.id, runner: b)
        #expect(report.recoveredChunks == 1 && report.recoveredNumbers == 10)
        #expect(report.job.runner?.token == b.token)
        #expect(await daemonB.lease(of: job.id)?.fencingToken == 2)
        var summary = try await daemonB.summary(of: job.id)
        #expect(summary.count(.unconfirmed) == 10 && summary.count(.pending) == 20)

        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            _ = try await daemonA.heartbeat(job.id, runner: a)
        }
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            _ = try await daemonA.claimChunk(for: job.id, runner: a, maxNumbers: 10)
        }
        let answer = ChunkAnswer(requestStartedAt: fixture.clock.now(), code: "000000", description: "ok",
                                 outcomes: [:], unlisted: .accepted(smsMsgId: "late"))
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            _ = try await daemonA.recordChunkAnswer(chunk.id, runner: a, answer: answer)
        }
        summary = try await daemonB.summary(of: job.id)
        #expect(summary.count(.unconfirmed) == 10 && summary.count(.pending) == 20 && summary.count(.accepted) == 0)

        let next = try #require(try await daemonB.claimChunk(for: job.id, runner: b, maxNumbers: 10).chunk)
        #expect(Set(next.numbers).isDisjoint(with: chunk.numbers) && next.sequence == 2)
        #expect(try await daemonB.heartbeat(job.id, runner: b) == .running)
        await daemonA.close()
        await daemonB.close()
    }

    /// The answer write records each number's outcome and the chunk's code, under the token.
    @Test func anAnswerRecordsAcceptedFailedAndUnconfirmedNumbers() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        let store = try await fixture.store()
        let runner = PostgresJobStoreFixture.runner("a")
        let job = try await store.createJob(PostgresJobStoreFixture.draft(6), runner: runner)
        #expect(await store.lease(of: job.id)?.fencingToken == 1)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 6).chunk)
        let outcomes: [String: NumberOutcome] = [
            chunk.numbers[0]: .accepted(smsMsgId: "m0"), chunk.numbers[1]: .accepted(smsMsgId: "m1"),
            chunk.numbers[2]: .failed(code: "E200041", description: "blocked", failureClass: .optedOut),
            chunk.numbers[3]: .retry,
        ]
        let settlement = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: ChunkAnswer(
            requestStartedAt: fixture.clock.now(), code: "000000", description: "partly", outcomes: outcomes,
            unlisted: .unconfirmed(description: "not in the result list")))
        #expect(settlement.accepted == 2 && settlement.failed == 1 && settlement.unconfirmed == 2 && settlement.requeued == 1)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.accepted) == 2 && summary.count(.failed) == 1 && summary.count(.unconfirmed) == 2)
        #expect(summary.count(.pending) == 1 && summary.failuresByReason == ["E200041": 1])
        let history = try await store.connection.query("SELECT count(*) FROM send_history WHERE chunk_id = \(chunk.id.rawValue)")
        #expect(try #require(history.first).decode(Int.self) == 5, "the requeued number lost its history row")
        await #expect(throws: StoreError.self) {
            _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: ChunkAnswer(
                requestStartedAt: fixture.clock.now(), code: "000000", description: "again", outcomes: [:],
                unlisted: .accepted(smsMsgId: "x")))
        }
        await store.close()
    }
}

@Suite struct PostgresLeaseEndTests {
    /// A job finishes only when nothing is queued or in flight; then it has no runner and the
    /// lease is gone. A released job's in-flight chunk is unconfirmed and another runner resumes
    /// it at once, with the next fencing token.
    @Test func finishingAndReleasingEndTheLease() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        let store = try await fixture.store(), other = try await fixture.store()
        let a = PostgresJobStoreFixture.runner("a"), b = PostgresJobStoreFixture.runner("b")
        let job = try await store.createJob(PostgresJobStoreFixture.draft(4), runner: a)
        let first = try #require(try await store.claimChunk(for: job.id, runner: a, maxNumbers: 2).chunk)
        await #expect(throws: StoreError.self) { _ = try await store.finishJob(job.id, runner: a) }
        try await store.releaseJob(job.id, runner: a)
        #expect(await store.lease(of: job.id) == nil)
        let resumed = try await other.resumeJob(job.id, runner: b)
        #expect(resumed.recoveredChunks == 0 && resumed.job.runner?.token == b.token, "release settled it already")
        #expect(await other.lease(of: job.id)?.fencingToken == 2)
        #expect(try await other.summary(of: job.id).count(.unconfirmed) == first.numbers.count)
        let rest = try #require(try await other.claimChunk(for: job.id, runner: b, maxNumbers: 10).chunk)
        _ = try await other.recordChunkAnswer(rest.id, runner: b, answer: ChunkAnswer(
            requestStartedAt: fixture.clock.now(), code: "000000", description: "ok", outcomes: [:],
            unlisted: .accepted(smsMsgId: "m")))
        let finished = try await other.finishJob(job.id, runner: b)
        #expect(finished.state == .finished && finished.runner == nil && finished.finishedAt != nil)
        #expect(await other.lease(of: job.id) == nil)
        await store.close()
        await other.close()
    }
}
