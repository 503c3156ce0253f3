import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator

/// `groupsms-bench send-shared`: two processes sending for one account on one data dir, judged
/// on the simulator's log: each process's rate, the combined rate (target ≥ 90 % of the 500/s
/// cap) and the worst one-second window (≤ 500).
struct SharedPaceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-shared",
        abstract: "Two sender processes on one data dir and one account: rate of each, combined, worst window.")

    @Option(help: "Numbers each process sends.")
    var numbers = 25_000
    @Option(help: "Sender processes.")
    var processes = 2

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bench-shared-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = SimulatorConfiguration()
        configuration.latency = 0.05...0.3
        configuration.keepRecords = false
        configuration.reports.enabled = false
        configuration.enforceNumberLimits = false
        configuration.logPath = directory + "/sim.jsonl"
        let simulator = try await PlatformSimulator.start(configuration)
        let children = try (0..<processes).map { block in
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["send-worker", "--data-dir", directory, "--endpoint", simulator.endpoint,
                               "--block", "\(block + 1)", "--numbers", "\(numbers)"]
            try child.run()
            return child
        }
        for child in children {
            child.waitUntilExit()
            guard child.terminationStatus == 0 else { throw BenchmarkError("a sender exited with \(child.terminationStatus)") }
        }
        await simulator.shutdown()
        try report(logPath: directory + "/sim.jsonl")
    }

    private func report(logPath: String) throws {
        let records = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(SimulatorRequestRecord.self, from: Data($0.utf8)) }
            .filter { !$0.acceptedNumbers.isEmpty }
            .sorted { $0.receivedAt < $1.receivedAt }
        let starts = records.map { (at: Int64(($0.receivedAt.timeIntervalSince1970 * 1e6).rounded()), count: $0.acceptedNumbers.count) }
        let accepted = records.flatMap(\.acceptedNumbers)
        func rate(_ subset: [SimulatorRequestRecord]) -> Double {
            guard let first = subset.first, let last = subset.last else { return 0 }
            return Double(subset.reduce(0) { $0 + $1.acceptedNumbers.count }) / (last.receivedAt.timeIntervalSince(first.receivedAt) + 1)
        }
        let byProcess = Dictionary(grouping: records) { String($0.extend?.prefix(6) ?? "") }
        print("send-shared: \(processes) processes × \(numbers) numbers, one data dir, one account (cap 500/s)")
        for (tag, subset) in byProcess.sorted(by: { $0.key < $1.key }) {
            print(String(format: "  job %@: %d numbers, %.1f numbers/s", tag, subset.reduce(0) { $0 + $1.acceptedNumbers.count }, rate(subset)))
        }
        let combined = rate(records)
        let worst = SharedPaceBenchmark.busiest(starts)
        print(String(format: "  combined %.1f numbers/s = %.2f%% of the cap (target >= 90%%); worst 1 s window %d (limit 500); duplicates %d",
                     combined, combined / 5, worst, accepted.count - Set(accepted).count))
        if worst > 500 {
            for (index, record) in records.enumerated().prefix(12) {
                print(String(format: "    request %d at %.3f: %d numbers (%@)", index, record.receivedAt.timeIntervalSince1970,
                             record.acceptedNumbers.count, record.extend ?? ""))
            }
        }
        guard worst <= 500, accepted.count == Set(accepted).count, accepted.count == numbers * processes else {
            throw BenchmarkError("send-shared failed a correctness check (see the figures above)")
        }
    }

    /// The most numbers any window [t, t + 1 s) of receive times holds.
    static func busiest(_ starts: [(at: Int64, count: Int)]) -> Int {
        var best = 0, sum = 0, tail = 0
        for head in starts.indices {
            sum += starts[head].count
            while starts[head].at - starts[tail].at >= 1_000_000 {
                sum -= starts[tail].count
                tail += 1
            }
            best = max(best, sum)
        }
        return best
    }
}

/// One sender process of `send-shared`: a job of its own numbers on the shared data dir, run
/// as `groupsms send` runs it.
struct SendWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send-worker", abstract: "(used by send-shared)",
                                                    shouldDisplay: false)

    @Option var dataDir: String
    @Option var endpoint: String
    @Option var block: Int
    @Option var numbers: Int

    func run() async throws {
        let clock = SystemWallClock()
        let store = try JobStore(dataDirectory: dataDir, clock: clock)
        let client = try PlatformClient(configuration: PlatformClientConfiguration(endpoint: endpoint, credentials: .simulatorDemo))
        defer { client.shutdown() }
        let lease = RunnerLease.forThisProcess()
        let job = try await store.createJob(SendBenchmark.draft(count: numbers, block: block), runner: lease)
        let runner = JobRunner(jobID: job.id, store: store, client: client, pacer: SendPacer.forPlatform(store: store, clock: clock),
                               slots: SendSlots(capacity: 8), clock: clock, lease: lease)
        guard try await runner.run() == .finished else { throw BenchmarkError("worker \(block) did not finish") }
    }
}
