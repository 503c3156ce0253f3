import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport

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

/// Runs `body` while a background task moves `clock` forward by `step` every 2 ms of real
/// time, so runners sleeping on the manual clock (pacing, back-off, deferral) make progress.
func drivingClock<T: Sendable>(_ clock: ManualWallClock, step: Double = 0.25,
                               _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 2_000_000)
                clock.advance(by: step)
            }
            return nil
        }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let result { return result }
        }
        throw CancellationError()
    }
}

/// Polls `condition` (real time, at most `attempts` × 5 ms) until it holds.
func eventually(attempts: Int = 2000, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    return false
}
