import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct JobLifecycleTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    var start: Date { Date(timeIntervalSince1970: 1_796_083_200 + 86_400) }

    init() throws {
        folder = try TemporaryDirectory(prefix: "lifecycle")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    private func scheduledJob(_ count: Int = 20) async throws -> JobRecord {
        try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(count), scheduledAt: start))
    }

    @Test func cancelAtFiveMinutesAndOneSecondBeforeTheStartIsAccepted() async throws {
        let job = try await scheduledJob()
        clock.set(start.addingTimeInterval(-301))
        let cancelled = try await store.cancelJob(job.id)
        #expect(cancelled.state == .cancelled)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.notSent) == 20)
        #expect(try await store.events(of: job.id).last?.kind == .cancelled)
        #expect(try await store.dueJobs().isEmpty)
    }

    @Test(arguments: [-300.0, -120, 0, 30])
    func cancelAndRescheduleFromFiveMinutesBeforeTheStartAreRefused(offset: Double) async throws {
        let job = try await scheduledJob()
        clock.set(start.addingTimeInterval(offset))
        await #expect(throws: ScheduleError.windowClosed(action: "cancel", job: job.id.description, start: start,
                                                         closedAt: start.addingTimeInterval(-300))) {
            try await store.cancelJob(job.id)
        }
        await #expect(throws: ScheduleError.self) {
            try await store.rescheduleJob(job.id, to: start.addingTimeInterval(3600))
        }
        let unchanged = try await store.job(job.id)
        #expect(unchanged.state == .scheduled)
        #expect(unchanged.scheduledAt == start)
    }

    @Test func rescheduleMovesTheStartAndTheWindowMovesWithIt() async throws {
        let job = try await scheduledJob()
        clock.set(start.addingTimeInterval(-301))
        let later = start.addingTimeInterval(3600)
        #expect(try await store.rescheduleJob(job.id, to: later).scheduledAt == later)
        #expect(try await store.nextScheduledStart() == later)
        clock.set(start)
        _ = try await store.cancelJob(job.id)
        await #expect(throws: ScheduleError.self) { try await store.rescheduleJob(job.id, to: later) }
        let other = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(2), scheduledAt: later))
        await #expect(throws: ScheduleError.startInPast(start: start.addingTimeInterval(-10), now: start)) {
            try await store.rescheduleJob(other.id, to: start.addingTimeInterval(-10))
        }
    }

    @Test func aJobStartsWhenDueAndOnlyOnce() async throws {
        let job = try await scheduledJob()
        let daemonA = StoreFixtures.remoteLease("a")
        clock.set(start.addingTimeInterval(-5))
        #expect(try await store.dueJobs().isEmpty)
        await #expect(throws: StoreError.self) { try await store.startJob(job.id, runner: daemonA) }
        clock.set(start)
        #expect(try await store.dueJobs().map(\.id) == [job.id])
        let running = try await store.startJob(job.id, runner: daemonA)
        #expect(running.state == .running)
        #expect(running.startedAt == start)
        #expect(running.runner?.token == daemonA.token)
        await #expect(throws: StoreError.self) { try await store.startJob(job.id, runner: StoreFixtures.remoteLease("b")) }
        // A started job cannot be cancelled, only paused.
        do {
            _ = try await store.cancelJob(job.id)
            Issue.record("cancelled a running job")
        } catch let error as ScheduleError {
            #expect(error.description.contains("pause"))
        }
    }

    @Test func pauseIsSeenByTheRunnerAndResumeWaitsForALiveRunner() async throws {
        let job = try await scheduledJob()
        let runner = StoreFixtures.remoteLease("first")
        clock.set(start)
        _ = try await store.startJob(job.id, runner: runner)
        await #expect(throws: StoreError.self) { try await store.pauseJob(JobID(99)) }
        #expect(try await store.pauseJob(job.id).state == .paused)
        #expect(try await store.heartbeat(job.id, runner: runner) == .paused)
        await #expect(throws: StoreError.self) { try await store.claimChunk(for: job.id, runner: runner) }
        let other = StoreFixtures.remoteLease("second")
        await #expect(throws: StoreError.self) { try await store.resumeJob(job.id, runner: other) }
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await store.heartbeat(job.id, runner: other)
        }
        try await store.releaseJob(job.id, runner: runner)
        let resumed = try await store.resumeJob(job.id, runner: other)
        #expect(resumed.job.state == .running)
        #expect(resumed.job.runner?.token == other.token)
        #expect(resumed.recoveredChunks == 0)
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await store.heartbeat(job.id, runner: runner)
        }
    }

    @Test func finishNeedsEveryNumberSettledAndFailStopsTheRest() async throws {
        let runner = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(30)), runner: runner)
        await #expect(throws: StoreError.self) { try await store.finishJob(job.id, runner: runner) }
        let claim = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 10)
        let chunk = try #require(claim.chunk)
        _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: StoreFixtures.acceptAll(chunk, at: clock.now()))
        let failed = try await store.failJob(job.id, runner: runner, code: "E000102",
                                             message: "authentication failed (E000102): check the app key")
        #expect(failed.state == .failed)
        #expect(failed.lastError?.contains("E000102") == true)
        #expect(failed.runner == nil)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.accepted) == 10)
        #expect(summary.count(.notSent) == 20)
        let notSent = try await store.numbers(of: job.id, states: [.notSent])
        #expect(Set(notSent.map(\.code)) == ["E000102"])
        #expect(Set(notSent.map(\.failureClass)) == [.retryable])
        await #expect(throws: StoreError.self) { try await store.resumeJob(job.id, runner: runner) }
    }

    @Test func aDrainedJobFinishes() async throws {
        let runner = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(1100)), runner: runner)
        var sizes: [Int] = []
        while true {
            let claim = try await store.claimChunk(for: job.id, runner: runner)
            guard let chunk = claim.chunk else {
                #expect(claim.isDrained)
                break
            }
            sizes.append(chunk.numbers.count)
            _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: StoreFixtures.acceptAll(chunk, at: clock.now()))
        }
        #expect(sizes == [500, 500, 100])
        let finished = try await store.finishJob(job.id, runner: runner)
        #expect(finished.state == .finished)
        #expect(finished.finishedAt == clock.now())
        #expect(try await store.summary(of: job.id).count(.accepted) == 1100)
        #expect(try await store.summaries(states: [.finished]).count == 1)
        await #expect(throws: StoreError.self) { try await store.pauseJob(job.id) }
    }
}
