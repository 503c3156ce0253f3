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
        let logPath = directory + "/sim.jsonl"
        var configuration = SimulatorConfiguration()
        configuration.latency = latency
        configuration.keepRecords = false
        configuration.reports.enabled = false
        configuration.logPath = logPath
        let simulator = try await PlatformSimulator.start(configuration)
        let clock = SystemWallClock()
        let store = try JobStore(dataDirectory: directory, clock: clock)
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: simulator.endpoint, credentials: .simulatorDemo))
        let lease = RunnerLease.forThisProcess()
        let job = try await store.createJob(Self.draft(count: numbers, block: 0), runner: lease)
        let cpuBefore = Self.cpuSeconds()
        let start = Date()
        let runner = JobRunner(jobID: job.id, store: store, client: client, pacer: SendPacer.forPlatform(clock: clock),
                               slots: SendSlots(capacity: 8), clock: clock, lease: lease)
        let outcome = try await runner.run()
        let wall = Date().timeIntervalSince(start)
        let cpu = Self.cpuSeconds() - cpuBefore
        client.shutdown()
        await simulator.shutdown()
        let records = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(SimulatorRequestRecord.self, from: Data($0.utf8)) }
            .sorted { $0.receivedAt < $1.receivedAt }
        let accepted = records.flatMap(\.acceptedNumbers)
        let duplicates = accepted.count - Set(accepted).count
        var worstWindow = 0
        var tail = 0
        var sum = 0
        for record in records {
            sum += record.numbers.count
            while record.receivedAt.timeIntervalSince(records[tail].receivedAt) >= 1 {
                sum -= records[tail].numbers.count
                tail += 1
            }
            worstWindow = max(worstWindow, sum)
        }
        let span = (records.last?.receivedAt.timeIntervalSince(records[0].receivedAt) ?? 0) + 1
        let rate = Double(accepted.count) / span
        print("send \(numbers) numbers, latency \(latencyMs) ms, rate cap 500: outcome \(outcome)")
        print(String(format: "  requests %d, accepted %d, duplicates %d, worst 1 s window %d numbers (limit 500)",
                     records.count, accepted.count, duplicates, worstWindow))
        print(String(format: "  achieved rate %.1f numbers/s = %.2f%% of the cap (target >= 99%%), wall %.1f s",
                     rate, rate / 5, wall))
        print(String(format: "  CPU time %.2f s (user+system), peak RSS %.1f MiB", cpu, Measurement.peakRSSOfSelf()))
        guard duplicates == 0, worstWindow <= 500, accepted.count == numbers else {
            throw BenchmarkError("send run failed a correctness check (see the figures above)")
        }
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
        let daemon = JobDaemon(store: store, clock: clock, pacer: SendPacer.forPlatform(clock: clock),
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
