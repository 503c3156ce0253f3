import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport
import Synchronization
import Testing

/// A data dir, a simulator on loopback and a client, all on one clock, for runner tests.
struct RunnerHarness {
    let directory: TemporaryDirectory
    let clock: any WallClock
    let store: JobStore
    let simulator: PlatformSimulator
    let client: PlatformClient
    let pacer: SendPacer
    /// Requests in flight over all runners of the harness (the client's 8 connections).
    let slots = SendSlots(capacity: 8)

    /// Runs `body` with a fresh harness and always shuts its simulator and client down.
    static func with<T>(clock: any WallClock, pacerRate: Int = 500, pacerWindow: TimeInterval = 1,
                        configure: (inout SimulatorConfiguration) -> Void = { _ in },
                        _ body: (RunnerHarness) async throws -> T) async throws -> T {
        let harness = try await make(clock: clock, pacerRate: pacerRate, pacerWindow: pacerWindow, configure: configure)
        do {
            let result = try await body(harness)
            await harness.shutdown()
            return result
        } catch {
            await harness.shutdown()
            throw error
        }
    }

    /// Starts a simulator (reports off, records kept) configured by `configure`.
    static func make(clock: any WallClock, pacerRate: Int = 500, pacerWindow: TimeInterval = 1,
                     configure: (inout SimulatorConfiguration) -> Void = { _ in }) async throws -> RunnerHarness {
        let directory = try TemporaryDirectory(prefix: "runner")
        var configuration = SimulatorConfiguration()
        configuration.reports.enabled = false
        configure(&configuration)
        let simulator = try await PlatformSimulator.start(configuration, clock: clock)
        return try RunnerHarness(directory: directory, clock: clock,
                                 store: JobStore(dataDirectory: directory.path, clock: clock),
                                 simulator: simulator, client: client(simulator.endpoint, clock: clock),
                                 pacer: SendPacer(rate: pacerRate, window: pacerWindow, clock: clock))
    }

    /// A client with short timeouts for `endpoint`.
    static func client(_ endpoint: String, clock: any WallClock) throws -> PlatformClient {
        try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: endpoint, credentials: .simulatorDemo,
            transport: PlatformTransportOptions(connectTimeout: 1, requestTimeout: 3)), clock: clock)
    }

    /// Creates a job that is running under a fresh lease (as foreground `send` does).
    func runningJob(_ numbers: [String], rate: Int = 500, maxDefer: TimeInterval = 3600,
                    params: [String] = ["a"]) async throws -> (JobID, RunnerLease) {
        let lease = StoreFixtures.remoteLease()
        var draft = StoreFixtures.draft(numbers, params: params, maxDefer: maxDefer)
        draft.rate = rate
        let job = try await store.createJob(draft, runner: lease)
        return (job.id, lease)
    }

    /// A runner for `job` on this harness's store, client, pacer and clock.
    func runner(_ job: JobID, lease: RunnerLease, options: JobRunnerOptions = JobRunnerOptions(),
                client: PlatformClient? = nil, stop: RunnerStopSignal = RunnerStopSignal()) -> JobRunner {
        JobRunner(jobID: job, store: store, client: client ?? self.client, pacer: pacer, slots: slots, clock: clock, lease: lease,
                  options: options, stopSignal: stop)
    }

    /// Every number the simulator accepted, with repeats.
    func acceptedNumbers() async -> [String] {
        await simulator.records().flatMap(\.acceptedNumbers)
    }

    func shutdown() async {
        client.shutdown()
        await simulator.shutdown()
    }
}

/// Why a driven test gave up.
struct RunnerTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Whether a task is doing work that waits on `clock`: a sleep that asked for at most
/// `shortSleep` seconds (a pace window, a poll interval, a back-off nap, the daemon's tick).
/// Longer background timers alone (the runner's 5 s heartbeat) do not count, so time never
/// moves while the code under test waits on the network or the store instead.
func isIdle(_ clock: ManualWallClock, shortSleep: TimeInterval = 2) -> Bool {
    clock.sleeperCount(requestedAtMost: shortSleep) > 0
}

/// Set once by the driven body when it ends.
private final class DoneFlag: Sendable {
    private let done = Mutex(false)
    func set() { done.withLock { $0 = true } }
    var isSet: Bool { done.withLock { $0 } }
}

/// Runs `body` and moves `clock` forward by `step` whenever the code under test is idle on it
/// (`isIdle`, checked after yielding to every other task), so runners sleeping on the manual
/// clock (pacing, back-off, deferral) make progress without time racing ahead of their work.
///
/// While nothing waits on the clock the code under test waits on real I/O (loopback HTTP,
/// SQLite on its queue), so the driver gives it a millisecond of real time per round. After
/// `rounds` rounds without `body` ending it cancels `body`, records an issue and throws; it
/// never waits for a body that hangs.
func drivingClock<T: Sendable>(_ clock: ManualWallClock, step: Double = 0.25, rounds: Int = 60_000,
                               sourceLocation: SourceLocation = #_sourceLocation,
                               _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let done = DoneFlag()
    let work = Task {
        defer { done.set() }
        return try await body()
    }
    for _ in 0..<rounds {
        if done.isSet { return try await work.value }
        for _ in 0..<8 { await Task.yield() }
        if done.isSet { continue }
        if isIdle(clock) {
            clock.advance(by: step)
        } else {
            try await Task.sleep(nanoseconds: 1_000_000)
        }
    }
    work.cancel()
    let message = "the driven code did not finish within \(rounds) rounds of the clock "
        + "(at \(clock.now()), \(clock.sleeperCount) sleeping on it)"
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    throw RunnerTestFailure(message)
}

/// Polls `condition` (real time, at most `attempts` × 5 ms) until it holds; records an issue
/// naming `what` at the caller when it never does, and returns whether it held.
@discardableResult
func eventually(_ what: String, attempts: Int = 2000, sourceLocation: SourceLocation = #_sourceLocation,
                _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
    return false
}

/// Waits (bounded) until the code under test sleeps on `clock` again (`isIdle`): everything it
/// could do without time passing is done. Records an issue naming `what` when it never does.
@discardableResult
func untilIdle(_ clock: ManualWallClock, _ what: String, attempts: Int = 5000,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> Bool {
    for _ in 0..<attempts {
        for _ in 0..<8 { await Task.yield() }
        if isIdle(clock) { return true }
        try await Task.sleep(nanoseconds: 1_000_000)
    }
    Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
    return false
}
