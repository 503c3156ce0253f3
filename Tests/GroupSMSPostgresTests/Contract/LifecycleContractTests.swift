import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Pausing, cancelling, rescheduling and listing jobs, the same on both stores (the SQLite
/// store's JobLifecycleTests, written once for both backends).
@Suite("Store contract: job lifecycle")
struct LifecycleContractTests {
    /// A day after the fixture clock's start.
    static func start(_ fixture: StoreContractFixture) -> Date { fixture.clock.now().addingTimeInterval(86_400) }

    /// The user pauses from another process; the runner sees it at its heartbeat and claim, and
    /// nobody else may resume until the runner has let go.
    @Test(arguments: StoreBackend.allCases)
    func aPauseFromAnotherProcessIsSeenAtTheRunnersNextHeartbeat(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let runnerStore = try await fixture.store(LifecycleStore.self)
        let userStore = try await fixture.store(LifecycleStore.self)
        let runner = StoreContractFixture.runner("first"), other = StoreContractFixture.runner("second")
        let job = try await runnerStore.createJob(StoreContractFixture.draft(20))
        _ = try await runnerStore.startJob(job.id, runner: runner)
        await #expect(throws: StoreError.jobNotFound(JobID(99).description)) { try await userStore.pauseJob(JobID(99)) }
        let paused = try await userStore.pauseJob(job.id, reason: "paused by the user")
        #expect(paused.state == .paused && paused.lastError == "paused by the user")
        #expect(paused.runner?.token == runner.token, "the runner keeps its lease until it lets go")
        #expect(try await runnerStore.heartbeat(job.id, runner: runner) == .paused)
        await #expect(throws: StoreError.transitionRefused(job: job.id.description, state: .paused, action: "send a chunk of",
                                                           reason: "it is no longer running")) {
            try await LifecycleDriver.claim(runnerStore, job.id, runner: runner)
        }
        await #expect(throws: StoreError.transitionRefused(job: job.id.description, state: .paused, action: "pause",
                                                           reason: "only a running job can be paused")) {
            try await userStore.pauseJob(job.id)
        }
        do {
            _ = try await userStore.resumeJob(job.id, runner: other)
            Issue.record("resumed while the runner still held the job")
        } catch StoreError.runnerActive(_, _, let host, _) {
            #expect(host == runner.host)
        }
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await userStore.heartbeat(job.id, runner: other)
        }
        try await runnerStore.releaseJob(job.id, runner: runner)
        let resumed = try await userStore.resumeJob(job.id, runner: other)
        #expect(resumed.job.state == .running && resumed.job.runner?.token == other.token && resumed.recoveredChunks == 0)
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await runnerStore.heartbeat(job.id, runner: runner)
        }
        let events = try await userStore.events(of: job.id, afterID: 0, limit: 100)
        #expect(events.contains { $0.kind == .paused && $0.message == "paused by the user" })
        await fixture.close(runnerStore)
        await fixture.close(userStore)
    }

    @Test(arguments: StoreBackend.allCases)
    func aScheduledJobCannotBePausedOnlyCancelledOrRescheduled(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let job = try await store.createJob(LifecycleDriver.draft(3, at: Self.start(fixture)))
        await #expect(throws: StoreError.transitionRefused(
            job: job.id.description, state: .scheduled, action: "pause",
            reason: "a job that has not started can be cancelled or rescheduled instead")) {
            try await store.pauseJob(job.id)
        }
        #expect(try await store.job(job.id).state == .scheduled)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func cancelFiveMinutesAndOneSecondBeforeTheStartIsAccepted(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let start = Self.start(fixture)
        let job = try await store.createJob(LifecycleDriver.draft(20, at: start))
        fixture.clock.set(start.addingTimeInterval(-301))
        let cancelled = try await store.cancelJob(job.id, rules: ScheduleRules())
        #expect(cancelled.state == .cancelled && cancelled.finishedAt == fixture.clock.now())
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.notSent) == 20 && summary.count(.pending) == 0)
        let last = try #require(try await store.events(of: job.id, afterID: 0, limit: 100).last)
        #expect(last.kind == .cancelled && last.message == "cancelled before its start; 20 numbers not sent")
        fixture.clock.set(start)
        #expect(try await store.dueJobs().isEmpty)
        #expect(try await store.nextScheduledStart() == nil)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases, [-300.0, -120, 0, 30])
    func cancelAndRescheduleFromFiveMinutesBeforeTheStartAreRefused(backend: StoreBackend, offset: Double) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let start = Self.start(fixture)
        let job = try await store.createJob(LifecycleDriver.draft(20, at: start))
        fixture.clock.set(start.addingTimeInterval(offset))
        await #expect(throws: ScheduleError.windowClosed(action: "cancel", job: job.id.description, start: start,
                                                         closedAt: start.addingTimeInterval(-300))) {
            try await store.cancelJob(job.id, rules: ScheduleRules())
        }
        await #expect(throws: ScheduleError.windowClosed(action: "reschedule", job: job.id.description, start: start,
                                                         closedAt: start.addingTimeInterval(-300))) {
            try await store.rescheduleJob(job.id, to: start.addingTimeInterval(3600), rules: ScheduleRules())
        }
        let unchanged = try await store.summary(of: job.id)
        #expect(unchanged.job.state == .scheduled && unchanged.job.scheduledAt == start)
        #expect(unchanged.count(.pending) == 20)
        #expect(try await store.events(of: job.id, afterID: 0, limit: 100).map(\.kind) == [.created])
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func rescheduleMovesTheStartAndTheCancelWindowMovesWithIt(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let start = Self.start(fixture), later = Self.start(fixture).addingTimeInterval(3600)
        let job = try await store.createJob(LifecycleDriver.draft(5, at: start))
        fixture.clock.set(start.addingTimeInterval(-301))
        #expect(try await store.rescheduleJob(job.id, to: later, rules: ScheduleRules()).scheduledAt == later)
        #expect(try await store.nextScheduledStart() == later)
        #expect(try await store.events(of: job.id, afterID: 0, limit: 100).last?.kind == .rescheduled)
        // At the old start the new one is an hour away: cancel is open again.
        fixture.clock.set(start)
        #expect(try await store.cancelJob(job.id, rules: ScheduleRules()).state == .cancelled)
        await #expect(throws: ScheduleError.alreadyStarted(action: "reschedule", job: job.id.description, state: .cancelled)) {
            try await store.rescheduleJob(job.id, to: later, rules: ScheduleRules())
        }
        let other = try await store.createJob(LifecycleDriver.draft(2, at: later))
        await #expect(throws: ScheduleError.startInPast(start: start.addingTimeInterval(-10), now: start)) {
            try await store.rescheduleJob(other.id, to: start.addingTimeInterval(-10), rules: ScheduleRules())
        }
        #expect(try await store.job(other.id).scheduledAt == later)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aStartedJobCannotBeCancelledOnlyPaused(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let start = Self.start(fixture)
        let job = try await store.createJob(LifecycleDriver.draft(5, at: start))
        fixture.clock.set(start)
        _ = try await store.startJob(job.id, runner: StoreContractFixture.runner("a"))
        do {
            _ = try await store.cancelJob(job.id, rules: ScheduleRules())
            Issue.record("cancelled a running job")
        } catch let error as ScheduleError {
            #expect(error == .alreadyStarted(action: "cancel", job: job.id.description, state: .running))
            #expect(error.description.contains("pause"))
        }
        #expect(try await store.summary(of: job.id).count(.pending) == 5)
        await fixture.close(store)
    }
}
