import ArgumentParser
import Foundation
import GroupSMSPlatform
import GroupSMSSimulator

/// `groupsms-bench platform`: the sending client alone against the in-process simulator
/// (0 ms latency, no limits, no reports) with 500-number requests, several in flight.
/// Target: at least 200 requests/s (100,000 numbers/s), so the client never limits a job paced
/// at the platform's 500 numbers/s.
struct PlatformBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform",
        abstract: "Client throughput and latency against the simulated platform (target ≥ 200 requests/s of 500 numbers).")

    @Option(help: "Requests per run (after a warm-up of 100).")
    var requests = 3000
    @Option(help: "Requests in flight at once.")
    var concurrency = 16
    @Option(help: "Numbers per request (at most 500).")
    var numbers = 500
    @Option(help: "Measured runs; the median of each figure is reported.")
    var runs = 3
    @Option(help: "Authentication scheme: aksk or wsse.")
    var auth = "aksk"

    struct RunFigures {
        var requestsPerSecond: Double
        var numbersPerSecond: Double
        var p50: Double
        var p99: Double
    }

    func run() async throws {
        guard let scheme = PlatformAuthScheme(rawValue: auth) else { throw ValidationError("--auth must be aksk or wsse") }
        guard (1...500).contains(numbers), requests > 0, concurrency > 0, runs > 0 else {
            throw ValidationError("--numbers 1-500; --requests, --concurrency and --runs above 0")
        }
        var configuration = SimulatorConfiguration()
        configuration.enforceNumberLimits = false
        configuration.reports.enabled = false
        configuration.keepRecords = false
        let simulator = try await PlatformSimulator.start(configuration)
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: simulator.endpoint, credentials: .simulatorDemo, authScheme: scheme,
            transport: PlatformTransportOptions(connectTimeout: 2, requestTimeout: 10, maxConnectionsPerHost: concurrency)))
        defer { client.shutdown() }
        let pool = (0..<64).map { list in
            PlatformBatchSendRequest(from: "8824000000001",
                                     to: (0..<numbers).map { "+86131" + String(format: "%08d", list * numbers + $0) },
                                     templateId: "tmpl0001", templateParas: ["520520"],
                                     statusCallback: "https://example.com/report", extend: "bench-\(list)")
        }
        _ = try await measure(client: client, pool: pool, count: 100)
        var figures: [RunFigures] = []
        for index in 1...runs {
            let run = try await measure(client: client, pool: pool, count: requests)
            figures.append(run)
            print(String(format: "run %d: %7.1f requests/s  %9.0f numbers/s  p50 %6.2f ms  p99 %6.2f ms",
                         index, run.requestsPerSecond, run.numbersPerSecond, run.p50, run.p99))
        }
        print(String(format: "platform client, %d×%d numbers, %d in flight, %@: median of %d runs: %.1f requests/s, %.0f numbers/s, p50 %.2f ms, p99 %.2f ms, peak RSS %.1f MiB (target ≥ 200 requests/s)",
                     requests, numbers, concurrency, scheme.rawValue, runs,
                     Measurement.median(figures.map(\.requestsPerSecond)), Measurement.median(figures.map(\.numbersPerSecond)),
                     Measurement.median(figures.map(\.p50)), Measurement.median(figures.map(\.p99)), Measurement.peakRSSOfSelf()))
        await simulator.shutdown()
    }

    /// Sends `count` requests keeping `concurrency` in flight; every answer must be a success.
    private func measure(client: PlatformClient, pool: [PlatformBatchSendRequest], count: Int) async throws -> RunFigures {
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: Double.self, returning: [Double].self) { group in
            var next = 0
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            func launch(_ index: Int) {
                let request = pool[index % pool.count]
                group.addTask {
                    let began = clock.now
                    let result = try await client.send(request)
                    guard case .answered(let answer) = result, answer.outcome == .success,
                          answer.results.count == request.to.count else {
                        throw BenchmarkError("request \(index) did not succeed: \(result)")
                    }
                    let elapsed = clock.now - began
                    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                }
            }
            while next < min(concurrency, count) {
                launch(next)
                next += 1
            }
            while let latency = try await group.next() {
                latencies.append(latency)
                if next < count {
                    launch(next)
                    next += 1
                }
            }
            return latencies
        }
        let total = clock.now - start
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        return RunFigures(requestsPerSecond: Double(count) / seconds, numbersPerSecond: Double(count * numbers) / seconds,
                          p50: Measurement.percentile(latencies, 0.5), p99: Measurement.percentile(latencies, 0.99))
    }
}
