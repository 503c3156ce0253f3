import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport
import Synchronization
import Testing

/// Where a runner is waiting when its task is cancelled.
enum RunnerWait: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Not started yet: the task is cancelled before `run` is called.
    case beforeStart
    /// In the pacer: the account's one-second budget is spent.
    case pace
    /// Napping on a platform flow-control hold (E200015, 10 minutes).
    case hold
    /// Napping on a back-off after a chunk was provably not sent (connection refused).
    case backOff
    /// Napping until a deferred number's frequency limit lets it go.
    case nap

    var testDescription: String { rawValue }
}

/// What the store and the platform had seen when the cancel came.
private struct Seen: Equatable {
    var chunks: Int
    var requests: Int
}

@Suite("Job runner: a cancelled task returns promptly")
struct JobRunnerCancellationTests {
    /// Nobody advances the clock here: a runner that waited for time to pass before seeing its
    /// cancel would never return, and the bounded wait below would fail.
    @Test("cancelled while waiting, run returns .stopped, pauses the job and claims nothing more",
          arguments: RunnerWait.allCases)
    func cancelledRunnerStops(while wait: RunnerWait) async throws {
        let clock = ManualWallClock()
        let dead = wait == .backOff ? try await Self.closedEndpoint(clock) : nil
        try await RunnerHarness.with(clock: clock, pacerRate: wait == .pace ? 10 : 500,
                                     configure: { if wait == .hold { $0.maxRate = 5 } }) { h in
            let (job, runner) = try await Self.runner(for: wait, h, deadEndpoint: dead)
            let ended = Flag()
            let task = Task {
                defer { ended.set() }
                if wait == .beforeStart { withUnsafeCurrentTask { $0?.cancel() } }
                return try await runner.run()
            }
            try await Self.untilWaiting(wait, job: job, h)
            let seen = try await Self.seen(job, h)
            let sleepsBefore = clock.sleepCalls
            task.cancel()
            for _ in 0..<5_000 where !ended.isSet {
                await Task.yield()
                try await Task.sleep(nanoseconds: 1_000_000)
            }
            try #require(ended.isSet, "the cancelled runner did not return within 5,000 polls")
            #expect(try await task.value == .stopped)
            #expect(try await Self.seen(job, h) == seen, "nothing is claimed or sent after the cancel")
            #expect(clock.sleepCalls - sleepsBefore <= 1, "the runner did not sleep again and again once cancelled")
            #expect(clock.sleeperCount == 0, "nothing of the runner is left sleeping on the clock")
            let record = try await h.store.job(job)
            #expect(record.state == .paused && record.runner == nil)
            #expect(record.lastError?.contains("resume") == true)
        }
    }

    /// A job and its runner, set up so the runner ends up in `wait`.
    private static func runner(for wait: RunnerWait, _ h: RunnerHarness,
                               deadEndpoint: String?) async throws -> (JobID, JobRunner) {
        switch wait {
        case .beforeStart, .pace:
            let (job, lease) = try await h.runningJob(StoreFixtures.numbers(30), rate: 10)
            return (job, h.runner(job, lease: lease))
        case .hold:
            // Fill the platform's one-second window so the job's first request is flow-controlled.
            _ = try await h.client.send(.batch(PlatformBatchSendRequest(
                from: "8824110605", to: ["+8613900000999"], templateId: "tmpl-1", templateParas: ["a"])))
            let (job, lease) = try await h.runningJob(StoreFixtures.numbers(5), rate: 5)
            return (job, h.runner(job, lease: lease))
        case .backOff:
            let (job, lease) = try await h.runningJob(StoreFixtures.numbers(20))
            let client = try RunnerHarness.client(deadEndpoint ?? "", clock: h.clock)
            return (job, h.runner(job, lease: lease, client: client))
        case .nap:
            // Two sends of the same content already: the third must wait for the 59 s limit.
            let numbers = StoreFixtures.numbers(4)
            for _ in 0..<2 {
                let (job, lease) = try await h.runningJob(numbers)
                #expect(try await h.runner(job, lease: lease).run() == .finished)
            }
            let (job, lease) = try await h.runningJob(numbers)
            return (job, h.runner(job, lease: lease))
        }
    }

    /// Waits (bounded) until the runner is in `wait`: its sign is in the store or at the
    /// platform, and the runner sleeps on the clock.
    private static func untilWaiting(_ wait: RunnerWait, job: JobID, _ h: RunnerHarness) async throws {
        guard let clock = h.clock as? ManualWallClock else { throw RunnerTestFailure("needs a manual clock") }
        let store = h.store
        switch wait {
        case .beforeStart:
            return
        case .pace:
            try await eventually("the first chunk is answered") { try await store.summary(of: job).count(.accepted) == 10 }
        case .hold:
            try await eventually("the flow-controlled numbers are deferred") { try await store.summary(of: job).count(.deferred) == 5 }
        case .backOff:
            try await eventually("a chunk is refused as not sent") { try await !store.chunks(of: job, state: .notSent).isEmpty }
        case .nap:
            try await eventually("the numbers are deferred") { try await store.summary(of: job).count(.deferred) == 4 }
        }
        try await untilIdle(clock, "the runner sleeps on the clock (\(wait.rawValue))")
    }

    private static func seen(_ job: JobID, _ h: RunnerHarness) async throws -> Seen {
        Seen(chunks: try await h.store.chunks(of: job).count, requests: await h.simulator.records().count)
    }

    /// An endpoint nobody listens on (a simulator's port, closed again): connections are refused.
    private static func closedEndpoint(_ clock: ManualWallClock) async throws -> String {
        let probe = try await PlatformSimulator.start(SimulatorConfiguration(), clock: clock)
        let endpoint = probe.endpoint
        await probe.shutdown()
        return endpoint
    }
}

/// Set once, read from any task.
private final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
