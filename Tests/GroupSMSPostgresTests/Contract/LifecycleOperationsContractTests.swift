import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Listings, the event log, and what `/metrics` and `/readyz` read, on both stores (the SQLite
/// store's StoreListsTests and JobLifecycleTests, written once for both backends).
@Suite("Store contract: listings, events and operations")
struct LifecycleOperationsContractTests {
    /// Due means scheduled and started within the start tolerance (1 s early), earliest start
    /// first and, at the same start, oldest job first.
    @Test(arguments: StoreBackend.allCases)
    func dueJobsComeEarliestFirstWithinTheStartTolerance(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let t = fixture.clock.now()
        var ids: [String: JobID] = [:]
        for (name, offset) in [("a", 20.0), ("b", 10), ("c", 10), ("d", 5), ("e", 10.9), ("f", 11.5)] {
            ids[name] = try await store.createJob(LifecycleDriver.draft(2, name: name, at: t.addingTimeInterval(offset))).id
        }
        #expect(try await store.dueJobs().isEmpty)
        #expect(try await store.nextScheduledStart() == t.addingTimeInterval(5))
        fixture.clock.set(t.addingTimeInterval(10))
        #expect(try await store.dueJobs().map(\.name) == ["d", "b", "c", "e"])
        _ = try await store.startJob(try #require(ids["e"]), runner: StoreContractFixture.runner("x"))
        await #expect(throws: StoreError.self) {
            try await store.startJob(try #require(ids["f"]), runner: StoreContractFixture.runner("x"))
        }
        _ = try await store.startJob(try #require(ids["d"]), runner: StoreContractFixture.runner("y"))
        #expect(try await store.dueJobs().map(\.name) == ["b", "c"])
        #expect(try await store.nextScheduledStart() == t.addingTimeInterval(10))
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func summariesListNewestFirstWithCountsAndFilterByState(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let later = fixture.clock.now().addingTimeInterval(86_400)
        let first = try await store.createJob(LifecycleDriver.draft(3, name: "first", at: later))
        let second = try await store.createJob(StoreContractFixture.draft(4, name: "second"),
                                               runner: StoreContractFixture.runner("r"))
        let third = try await store.createJob(LifecycleDriver.draft(5, name: "third", at: later))
        _ = try await store.cancelJob(third.id, rules: ScheduleRules())
        #expect(try await store.summaries(states: nil).map(\.job.id) == [third.id, second.id, first.id])
        let running = try await store.summaries(states: [.running])
        #expect(running.map(\.job.id) == [second.id] && running[0].count(.pending) == 4)
        let stopped = try await store.summaries(states: [.cancelled, .scheduled])
        #expect(stopped.map(\.job.id) == [third.id, first.id])
        #expect(stopped[0].count(.notSent) == 5 && stopped[1].count(.pending) == 3)
        #expect(try await store.summaries(states: []).isEmpty)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func theEventLogAppendsAndIsFollowedAfterAnID(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let job = try await store.createJob(StoreContractFixture.draft(2))
        let created = try await store.events(of: job.id, afterID: 0, limit: 1000)
        #expect(created.map(\.kind) == [.created] && created[0].message.contains("2 numbers"))
        #expect(created[0].jobID == job.id && created[0].at == fixture.clock.now())
        fixture.clock.advance(by: 5)
        try await LifecycleDriver.appendEvent(store, to: job.id, kind: .warning, message: "rate lowered to 300")
        try await LifecycleDriver.appendEvent(store, to: job.id, kind: JobEventKind(rawValue: "progress"), message: "500 sent")
        let newer = try await store.events(of: job.id, afterID: created[0].id, limit: 1000)
        #expect(newer.map(\.message) == ["rate lowered to 300", "500 sent"])
        #expect(newer[1].kind.rawValue == "progress" && newer[1].at == fixture.clock.now())
        #expect(try await store.events(of: job.id, afterID: created[0].id, limit: 1).map(\.message) == ["rate lowered to 300"])
        #expect(try await store.events(of: job.id, afterID: newer[1].id, limit: 1000).isEmpty)
        await #expect(throws: StoreError.jobNotFound(JobID(42).description)) {
            try await LifecycleDriver.appendEvent(store, to: JobID(42), kind: .info, message: "x")
        }
        #expect(try await store.events(of: JobID(42), afterID: 0, limit: 1000).isEmpty)
        await fixture.close(store)
    }

    /// Jobs in every state, unconfirmed numbers from a failed job, and reservations of two pace
    /// accounts counted in `(now - span, now]`.
    @Test(arguments: StoreBackend.allCases)
    func theOperationsSnapshotCountsJobsUnconfirmedNumbersAndReservedPace(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let t0 = fixture.clock.now(), runner = StoreContractFixture.runner("r")
        _ = try await store.createJob(LifecycleDriver.draft(2, name: "scheduled", at: t0.addingTimeInterval(86_400)))
        let cancelled = try await store.createJob(LifecycleDriver.draft(2, name: "cancelled", at: t0.addingTimeInterval(86_400)))
        _ = try await store.cancelJob(cancelled.id, rules: ScheduleRules())
        let paced = try await store.createJob(LifecycleDriver.draft(20, name: "paced", at: nil), runner: runner)
        _ = try await LifecycleDriver.claim(store, paced.id, runner: runner, maxNumbers: 7, pace: PaceBudget(account: "acct-1"))
        let paused = try await store.createJob(LifecycleDriver.draft(2, name: "paused", at: nil, first: 100), runner: runner)
        _ = try await store.pauseJob(paused.id, reason: "paused by the user")
        let failed = try await store.createJob(LifecycleDriver.draft(5, name: "failed", at: nil, first: 200), runner: runner)
        _ = try await LifecycleDriver.claim(store, failed.id, runner: runner, maxNumbers: 3)
        _ = try await store.failJob(failed.id, runner: runner, code: "E000102", message: "authentication failed")
        let finished = try await store.createJob(LifecycleDriver.draft(1, name: "finished", at: nil, first: 300),
                                                 runner: runner)
        fixture.clock.advance(by: 5)
        let chunk = try await LifecycleDriver.claim(store, finished.id, runner: runner, pace: PaceBudget(account: "acct-2"))
        try await LifecycleDriver.acceptAll(store, chunk, runner: runner, at: fixture.clock.now())
        _ = try await store.finishJob(finished.id, runner: runner)
        let states: [JobState: Int] = [.scheduled: 1, .running: 1, .paused: 1, .finished: 1, .cancelled: 1, .failed: 1]
        func snapshot(at offset: TimeInterval) async throws -> StoreOperationsSnapshot {
            try await store.operationsSnapshot(now: t0.addingTimeInterval(offset), paceSpan: 10)
        }
        #expect(try await snapshot(at: 5) == StoreOperationsSnapshot(jobs: states, unconfirmedNumbers: 3,
                                                                     paceNumbers: ["acct-1": 7, "acct-2": 1]))
        #expect(try await snapshot(at: 9.999).paceNumbers == ["acct-1": 7, "acct-2": 1])
        #expect(try await snapshot(at: 10).paceNumbers == ["acct-2": 1], "a start exactly one span ago is out")
        #expect(try await snapshot(at: 4.999).paceNumbers == ["acct-1": 7], "a start after now is not in yet")
        #expect(try await snapshot(at: -0.001).paceNumbers == [:])
        await fixture.close(store)
    }

    /// A working store answers; one whose storage is gone fails with the store's own error, which
    /// says what to do (SQLite: its database file removed; PostgreSQL: its connections closed).
    @Test(arguments: StoreBackend.allCases)
    func theHealthCheckAnswersAndFailsWithTheStoresOwnError(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        try await store.checkHealth()
        switch store {
        case let sqlite as JobStore:
            try FileManager.default.removeItem(atPath: sqlite.databasePath)
            await #expect(throws: StoreError.unavailable(path: sqlite.databasePath,
                                                         reason: "the database file is no longer there")) {
                try await store.checkHealth()
            }
        case let postgres as PostgresJobStore:
            await postgres.connection.close()
            do {
                try await store.checkHealth()
                Issue.record("a store with its connections closed answered the health check")
            } catch let error as PostgresStoreError {
                #expect(error.description.contains(postgres.connection.url.description), "\(error)")
                #expect(error.description.contains("check that the server runs"), "\(error)")
            }
        default:
            Issue.record("no health check case for \(type(of: store))")
        }
        await fixture.close(store)
    }
}
