import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator

/// `groupsms-bench send`: the job runner end to end against the in-process simulator.
///
/// 1. Sends `--numbers` (50,000) numbers at rate 500 with 50-300 ms platform latency and checks
///    the simulator's JSON-lines log: achieved rate ≥ 99 % of the cap (numbers ÷ (last request
///    − first request + 1 s)), no window [t, t+1 s) of receive times over 500, no duplicate.
///    Reports wall time, CPU time and peak RSS of this process.
/// 2. The daemon's start delay: three jobs scheduled 2-4 s ahead; delay = start − scheduled time.
/// 3. Planning and storing a 1,000,000-number job (target < 10 s), up to its first claimed chunk.
struct SendBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Runner pace, at-most-once and cost against the simulator; daemon start delay; 1M-number job (≈2 min).")

    @Option(help: "Numbers to send.")
    var numbers = 50_000
    @Option(help: "Simulated platform latency in milliseconds, MIN-MAX.")
    var latencyMs = "50-300"
    @Option(help: "Numbers in the large planning job.")
    var planNumbers = 1_000_000

    func run() async throws {
        let parts = latencyMs.split(separator: "-").compactMap { Double($0) }
        guard parts.count == 2, parts[0] <= parts[1], numbers > 0 else { throw ValidationError("--latency-ms MIN-MAX") }
        try await sendRun(latency: parts[0] / 1000...parts[1] / 1000)
        try await daemonDelay()
        try await planLarge()
    }

    private func sendRun(latency: ClosedRange<Double>) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bench-send-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try JobStore(dataDirectory: directory, clock: SystemWallClock())
        let figures = try await Self.measureSend(store: store, numbers: numbers, latency: latency, scratch: directory)
        print("send \(numbers) numbers, latency \(latencyMs) ms, rate cap 500: outcome \(figures.outcome)")
        figures.printLines()
        try figures.check(numbers: numbers)
    }

    /// Sends `numbers` numbers at the platform's cap through `store` against an in-process
    /// simulator with `latency`, and reads the simulator's JSON-lines log (in `scratch`).
    static func measureSend(store: any JobStoring, numbers: Int, latency: ClosedRange<Double>, block: Int = 0,
                            scratch: String) async throws -> SendFigures {
        let logPath = scratch + "/sim-\(UUID().uuidString).jsonl"
        var configuration = SimulatorConfiguration()
        configuration.latency = latency
        configuration.keepRecords = false
        configuration.reports.enabled = false
        configuration.logPath = logPath
        let simulator = try await PlatformSimulator.start(configuration)
        let clock = SystemWallClock()
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: simulator.endpoint, credentials: .simulatorDemo))
        let lease = RunnerLease.forThisProcess()
        let job = try await store.createJob(Self.draft(count: numbers, block: block), runner: lease)
        let cpuBefore = Self.cpuSeconds()
        let start = Date()
        let runner = JobRunner(jobID: job.id, store: store, client: client, pacer: SendPacer.forPlatform(store: store, clock: clock),
                               slots: SendSlots(capacity: 8), clock: clock, lease: lease)
        let outcome = try await runner.run()
        let wall = Date().timeIntervalSince(start)
        let cpu = Self.cpuSeconds() - cpuBefore
        client.shutdown()
        await simulator.shutdown()
        let records = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(SimulatorRequestRecord.self, from: Data($0.utf8)) }
            .sorted { $0.receivedAt < $1.receivedAt }
        return SendFigures(outcome: "\(outcome)", records: records, wall: wall, cpu: cpu)
    }

    private func daemonDelay() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bench-daemon-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = SimulatorConfiguration()
        configuration.keepRecords = false
        configuration.reports.enabled = false
        let simulator = try await PlatformSimulator.start(configuration)
        let clock = SystemWallClock()
        let store = try JobStore(dataDirectory: directory, clock: clock)
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: simulator.endpoint, credentials: .simulatorDemo))
        var jobs: [JobRecord] = []
        for index in 0..<3 {
            var draft = Self.draft(count: 200, block: 10 + index)
            draft.scheduledAt = clock.now().addingTimeInterval(2 + Double(index))
            jobs.append(try await store.createJob(draft))
        }
        let stop = RunnerStopSignal()
        let daemon = JobDaemon(store: store, clock: clock, pacer: SendPacer.forPlatform(store: store, clock: clock),
                               lease: RunnerLease.forThisProcess(), jobsFolder: nil, defaultEndpoint: simulator.endpoint,
                               runnerOptions: JobRunnerOptions(), stopSignal: stop,
                               makeClient: { _ in client })
        let task = Task { try await daemon.run() }
        var delays: [Double] = []
        while delays.count < jobs.count {
            try await Task.sleep(nanoseconds: 20_000_000)
            delays = []
            for job in jobs {
                if let started = try await store.job(job.id).startedAt {
                    delays.append(started.timeIntervalSince(job.scheduledAt))
                }
            }
        }
        stop.raise()
        try await task.value
        client.shutdown()
        await simulator.shutdown()
        print(String(format: "daemon start delay over %d jobs: max %.3f s, median %.3f s (target <= 1 s)",
                     delays.count, delays.max() ?? 0, Measurement.median(delays)))
    }

    private func planLarge() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bench-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try JobStore(dataDirectory: directory, clock: SystemWallClock())
        let start = Date()
        let lease = RunnerLease.forThisProcess()
        let job = try await store.createJob(Self.draft(count: planNumbers, block: 0), runner: lease)
        let claim = try await store.claimChunk(for: job.id, runner: lease)
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "plan + store a %d-number job and claim its first chunk (%d numbers): %.2f s (target < 10 s), peak RSS %.1f MiB",
                     planNumbers, claim.chunk?.numbers.count ?? 0, seconds, Measurement.peakRSSOfSelf()))
    }

    /// A draft of `count` distinct numbers; different blocks never share a number.
    static func draft(count: Int, block: Int) -> JobDraft {
        let numbers = (0..<count).map { index -> NumberDraft in
            let digits = String(block * 10_000_000 + index)
            return NumberDraft(e164: "+86131" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits,
                               fileIndex: index / 50_000, cell: "A\(index % 50_000 + 2)")
        }
        // No send window: the benchmark sends Chinese mainland numbers whatever the hour in Beijing.
        return JobDraft(name: "bench", settings: JobSettings(templateID: "tmpl0001", from: "8824110605", params: ["1"],
                                                             sendWindow: .any),
                        numbers: numbers, sourceFiles: (0...(max(0, count - 1) / 50_000)).map { "bench-\($0 + 1).xlsx" })
    }

    /// User plus system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
