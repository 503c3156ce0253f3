import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct RecoveryTests {
    /// The pid of a process that has exited and been reaped.
    private func deadPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func resumingAJobWhoseRunnerDiedMakesItsInFlightChunksUnconfirmed() async throws {
        let folder = try TemporaryDirectory(prefix: "recovery")
        let clock = ManualWallClock()
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        let dead = RunnerLease(pid: try deadPid(), host: ProcessInfoHost.name)
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(1000)), runner: dead)
        let answered = try #require(try await store.claimChunk(for: job.id, runner: dead).chunk)
        _ = try await store.recordChunkAnswer(answered.id, runner: dead, answer: StoreFixtures.acceptAll(answered, at: clock.now()))
        let inFlight = try #require(try await store.claimChunk(for: job.id, runner: dead, maxNumbers: 300).chunk)
        // The runner is gone at once (its pid no longer exists), heartbeat or not.
        #expect(try await store.abandonedJobs().map(\.id) == [job.id])
        let successor = RunnerLease.forThisProcess()
        let report = try await store.resumeJob(job.id, runner: successor)
        #expect(report.recoveredChunks == 1 && report.recoveredNumbers == 300)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.accepted) == 500)
        #expect(summary.count(.unconfirmed) == 300)
        #expect(summary.count(.pending) == 200)
        #expect(summary.count(.sending) == 0)
        #expect(try await store.chunks(of: job.id).map(\.state) == [.answered, .unconfirmed])
        // The unconfirmed numbers keep their history (they may have been sent) and are not resent.
        #expect(try await store.sendHistory(for: inFlight.numbers, since: .distantPast).count == 300)
        let next = try #require(try await store.claimChunk(for: job.id, runner: successor).chunk)
        #expect(next.numbers.count == 200)
        #expect(Set(next.numbers).isDisjoint(with: inFlight.numbers))
        #expect(try await store.events(of: job.id).contains { $0.kind == .resumed && $0.message.contains("unconfirmed") })
        #expect(try await store.abandonedJobs().isEmpty, "this process is alive")
    }

    @Test func aLiveRunnerIsNotTakenOver() async throws {
        let folder = try TemporaryDirectory(prefix: "recovery")
        let clock = ManualWallClock()
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        let alive = RunnerLease.forThisProcess()
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(10)), runner: alive)
        _ = try await store.claimChunk(for: job.id, runner: alive)
        do {
            _ = try await store.resumeJob(job.id, runner: RunnerLease.forThisProcess())
            Issue.record("took over a live runner")
        } catch let error as StoreError {
            guard case .runnerActive(_, let pid, _, _) = error else { throw error }
            #expect(pid == alive.pid)
        }
        await #expect(throws: StoreError.self) { try await store.recoverJob(job.id) }
        #expect(try await store.abandonedJobs().isEmpty)
    }

    @Test func aPausedJobWhoseRunnerDiedIsRecoveredWithoutResuming() async throws {
        let folder = try TemporaryDirectory(prefix: "recovery")
        let clock = ManualWallClock()
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        let runner = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(10)), runner: runner)
        _ = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 4)
        _ = try await store.pauseJob(job.id)
        clock.advance(by: 600)
        let report = try await store.recoverJob(job.id)
        #expect(report.job.state == .paused && report.job.runner == nil)
        #expect(report.recoveredNumbers == 4)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.unconfirmed) == 4 && summary.count(.pending) == 6)
    }
}
