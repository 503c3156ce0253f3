import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Failing a job and recovering one whose runner is gone, on both stores (the SQLite store's
/// JobLifecycleTests and RecoveryTests, written once for both backends).
///
/// When a runner is gone differs by design: on SQLite when its process no longer exists on this
/// host or its heartbeat is older than `RunnerLiveness.staleAfter`; on PostgreSQL, shared by
/// machines that cannot see each other's processes, when its lease expired. Each test checks
/// the backend's own rule (`LifecycleDriver.silenceLimit`) and then the same outcome.
@Suite("Store contract: failing and recovering jobs")
struct LifecycleRecoveryContractTests {
    @Test(arguments: StoreBackend.allCases)
    func failStopsTheRestAndLeavesInFlightNumbersUnconfirmed(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let runner = StoreContractFixture.runner("a")
        let job = try await store.createJob(StoreContractFixture.draft(30), runner: runner)
        await #expect(throws: StoreError.self) { try await store.finishJob(job.id, runner: runner) }
        let answered = try await LifecycleDriver.claim(store, job.id, runner: runner, maxNumbers: 10)
        try await LifecycleDriver.acceptAll(store, answered, runner: runner, at: fixture.clock.now())
        _ = try await LifecycleDriver.claim(store, job.id, runner: runner, maxNumbers: 5)
        let failed = try await store.failJob(job.id, runner: runner, code: "E000102",
                                             message: "authentication failed (E000102): check the app key")
        #expect(failed.state == .failed && failed.runner == nil && failed.finishedAt == fixture.clock.now())
        #expect(failed.lastError == "authentication failed (E000102): check the app key")
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.accepted) == 10 && summary.count(.unconfirmed) == 5 && summary.count(.notSent) == 15)
        #expect(summary.count(.pending) == 0 && summary.count(.sending) == 0)
        let events = try await store.events(of: job.id, afterID: 0, limit: 100)
        #expect(events.last?.kind == .failed)
        #expect(events.last?.message == "authentication failed (E000102): check the app key; 15 numbers not sent")
        #expect(events.contains { $0.kind == .unconfirmed })
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await store.failJob(job.id, runner: runner, code: "E000102", message: "again")
        }
        await #expect(throws: StoreError.self) { try await store.resumeJob(job.id, runner: runner) }
        await fixture.close(store)
    }

    /// A runner that stalled and whose job was taken over cannot fail it afterwards.
    @Test(arguments: StoreBackend.allCases)
    func aRunnerWhoseJobWasTakenOverCannotFailIt(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let stalled = try await fixture.store(LifecycleStore.self)
        let successor = try await fixture.store(LifecycleStore.self)
        let old = StoreContractFixture.runner("old"), new = StoreContractFixture.runner("new")
        let job = try await stalled.createJob(StoreContractFixture.draft(8), runner: old)
        fixture.clock.advance(by: LifecycleDriver.silenceLimit(backend) + 1)
        _ = try await successor.resumeJob(job.id, runner: new)
        await #expect(throws: StoreError.leaseLost(job: job.id.description)) {
            try await stalled.failJob(job.id, runner: old, code: "E000102", message: "authentication failed")
        }
        let summary = try await successor.summary(of: job.id)
        #expect(summary.job.state == .running && summary.job.runner?.token == new.token)
        #expect(summary.count(.pending) == 8 && summary.count(.notSent) == 0)
        await fixture.close(stalled)
        await fixture.close(successor)
    }

    /// A running job's runner died (SQLite: its pid no longer exists here; PostgreSQL: its lease
    /// ran out): recovery settles its in-flight chunk as unconfirmed and leaves the job to resume.
    @Test(arguments: StoreBackend.allCases)
    func recoveringAJobWhoseRunnerIsGoneSettlesItsInFlightChunkWithoutResuming(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let gone = RunnerLease(token: "gone", pid: try LifecycleDriver.reapedPid(), host: ProcessInfoHost.name)
        let job = try await store.createJob(StoreContractFixture.draft(10), runner: gone)
        _ = try await LifecycleDriver.claim(store, job.id, runner: gone, maxNumbers: 4)
        switch backend {
        case .sqlite:
            break // A dead pid on this host is gone at once, whatever its heartbeat says.
        case .postgres:
            // A pid says nothing on a shared server: the runner lives until its lease runs out.
            await #expect(throws: StoreError.self) { try await store.recoverJob(job.id) }
            fixture.clock.advance(by: LifecycleDriver.silenceLimit(backend) + 1)
        }
        let report = try await store.recoverJob(job.id)
        #expect(report.job.state == .running && report.job.runner == nil)
        #expect(report.recoveredChunks == 1 && report.recoveredNumbers == 4)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.unconfirmed) == 4 && summary.count(.pending) == 6 && summary.count(.sending) == 0)
        let recovered = try await store.events(of: job.id, afterID: 0, limit: 100).filter { $0.kind == .recovered }
        #expect(recovered.count == 1 && recovered[0].message.contains("4 numbers"))
        let again = try await store.recoverJob(job.id)
        #expect(again.recoveredChunks == 0 && again.recoveredNumbers == 0)
        #expect(try await store.events(of: job.id, afterID: 0, limit: 100).filter { $0.kind == .recovered }.count == 1)
        let successor = StoreContractFixture.runner("successor")
        let resumed = try await store.resumeJob(job.id, runner: successor)
        #expect(resumed.recoveredChunks == 0 && resumed.job.runner?.token == successor.token)
        let next = try await LifecycleDriver.claim(store, job.id, runner: successor)
        #expect(next.numbers.count == 6, "the unconfirmed numbers are not resent")
        await fixture.close(store)
    }

    /// A runner on another host that stopped renewing: alive until the backend's limit (SQLite
    /// 120 s of heartbeat, PostgreSQL a 15 s lease), gone after it; its paused job stays paused.
    @Test(arguments: StoreBackend.allCases)
    func aPausedJobIsRecoveredOnceItsSilentRunnerPassesTheLimit(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let runner = StoreContractFixture.runner("elsewhere")
        let job = try await store.createJob(StoreContractFixture.draft(10), runner: runner)
        _ = try await LifecycleDriver.claim(store, job.id, runner: runner, maxNumbers: 4)
        _ = try await store.pauseJob(job.id, reason: "paused by the user")
        fixture.clock.advance(by: LifecycleDriver.silenceLimit(backend) - 1)
        do {
            _ = try await store.recoverJob(job.id)
            Issue.record("recovered a job whose runner is still within its limit")
        } catch StoreError.runnerActive(let id, _, let host, _) {
            #expect(id == job.id.description && host == runner.host)
        }
        #expect(try await store.summary(of: job.id).count(.sending) == 4)
        #expect(try await store.abandonedJobs().isEmpty, "not listed for the daemon yet")
        fixture.clock.advance(by: 2)
        #expect(try await store.abandonedJobs().map(\.id) == [job.id], "listed for the daemon to recover")
        let report = try await store.recoverJob(job.id)
        #expect(report.job.state == .paused && report.job.runner == nil)
        #expect(report.recoveredChunks == 1 && report.recoveredNumbers == 4)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.unconfirmed) == 4 && summary.count(.pending) == 6)
        #expect(try await store.abandonedJobs().isEmpty, "recovered once")
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aLiveRunnerIsNeitherRecoveredNorTakenOver(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(LifecycleStore.self)
        let alive = RunnerLease(token: "alive", pid: ProcessInfo.processInfo.processIdentifier, host: ProcessInfoHost.name)
        let job = try await store.createJob(StoreContractFixture.draft(10), runner: alive)
        _ = try await LifecycleDriver.claim(store, job.id, runner: alive, maxNumbers: 3)
        for attempt in ["recover", "resume"] {
            do {
                if attempt == "recover" {
                    _ = try await store.recoverJob(job.id)
                } else {
                    _ = try await store.resumeJob(job.id, runner: StoreContractFixture.runner("other"))
                }
                Issue.record("\(attempt) went ahead while the runner is alive")
            } catch StoreError.runnerActive(_, let pid, _, _) {
                #expect(pid == alive.pid, "\(attempt)")
            }
        }
        #expect(try await store.abandonedJobs().isEmpty)
        let summary = try await store.summary(of: job.id)
        #expect(summary.job.runner?.token == alive.token && summary.count(.sending) == 3)
        await fixture.close(store)
    }
}
