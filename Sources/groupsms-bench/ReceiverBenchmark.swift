import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSReports
import GroupSMSSimulator

/// `groupsms-bench receiver`: the status-report receiver under load from a concurrent client on
/// loopback (batch posts of 50 and single form posts), with a send running against the same
/// store: a job's 500-number chunks claimed, sent through the PlatformClient to the simulator
/// and recorded, paced at `--send-rate` numbers/s. Every report names a real accepted message,
/// so each one is stored and applied with full durability.
/// Target: at least 5,000 reports/s with p99 request latency under 50 ms.
struct ReceiverBenchmark: AsyncParsableCommand {
    /// A one-part DELIVRD report from the SMS centre, as the platform posts it.
    static func delivered(_ id: String) -> StatusReport {
        StatusReport(smsMsgId: id, status: "DELIVRD", total: 1, sequence: 1, source: "2", updateTime: "2026-12-01T00:00:05Z")
    }

    static let configuration = CommandConfiguration(
        commandName: "receiver",
        abstract: "Status-report receiver throughput and latency during a send (target ≥ 5,000 reports/s, p99 < 50 ms).")

    @Option(help: "Reports sent as batch posts of 50.")
    var batchReports = 100_000
    @Option(help: "Reports sent as single form posts.")
    var singleReports = 10_000
    @Option(help: "Report posts in flight at once.")
    var concurrency = 16
    @Option(help: "Numbers per second of the concurrent send (500-number requests).")
    var sendRate = 500

    func run() async throws {
        guard batchReports >= 0, singleReports >= 0, concurrency > 0, sendRate > 0 else {
            throw ValidationError("counts must not be negative; --concurrency and --send-rate above 0")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bench-receiver-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try JobStore(dataDirectory: folder, clock: SystemWallClock())
        let runner = RunnerLease.forThisProcess()
        print("preparing \(batchReports + singleReports) accepted messages...")
        let ids = try await acceptedMessages(store, runner: runner, count: batchReports + singleReports)
        let receiver = try await StatusReportReceiver.start(store: store, host: "127.0.0.1", port: 0,
                                                            pathToken: StatusReportReceiver.makePathToken(), log: { _ in })
        var simulatorConfiguration = SimulatorConfiguration()
        simulatorConfiguration.enforceNumberLimits = false
        simulatorConfiguration.reports.enabled = false
        simulatorConfiguration.keepRecords = false
        let simulator = try await PlatformSimulator.start(simulatorConfiguration)
        let send = try await ReceiverBenchmarkSend.prepare(store: store, runner: runner, endpoint: simulator.endpoint,
                                                           rate: sendRate)
        let sendTask = Task { try await send.run() }
        let client = ReceiverBenchmarkClient(url: receiver.callbackURL, concurrency: concurrency)
        defer { client.shutdown() }

        let batchBodies = stride(from: 0, to: batchReports, by: 50).map { start in
            StatusReport.batchBody(ids[start..<min(start + 50, batchReports)].map(Self.delivered))
        }
        let singleBodies = ids[batchReports...].map {
            Array(Self.delivered($0).formBody().utf8)
        }
        var lines: [String] = []
        if !batchBodies.isEmpty {
            let figures = try await client.post(batchBodies, contentType: "application/json", reports: batchReports)
            lines.append(figures.line(label: "batch (50 per post)"))
        }
        if !singleBodies.isEmpty {
            let figures = try await client.post(singleBodies, contentType: "application/x-www-form-urlencoded", reports: singleReports)
            lines.append(figures.line(label: "single (1 per post)"))
        }
        sendTask.cancel()
        let sent = try await sendTask.value
        let counters = receiver.counters()
        await receiver.shutdown()
        await simulator.shutdown()
        for line in lines { print(line) }
        print(String(format: "concurrent send: %d chunks of 500 numbers; claim+record p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                     sent.chunks, sent.p50, sent.p99, sent.max))
        print("receiver counters: \(counters.received) received, \(counters.applied) applied, \(counters.duplicates) "
              + "duplicates, \(counters.unknown) unknown, \(counters.rejected) rejected, \(counters.storeErrors) store errors")
        print(String(format: "peak RSS %.1f MiB (target ≥ 5,000 reports/s, p99 < 50 ms)", Measurement.peakRSSOfSelf()))
        guard counters.applied == batchReports + singleReports else {
            throw BenchmarkError("only \(counters.applied) of \(batchReports + singleReports) reports were applied")
        }
    }

    /// Creates a job of `count` numbers and records every chunk as accepted; returns the message ids.
    private func acceptedMessages(_ store: JobStore, runner: RunnerLease, count: Int) async throws -> [String] {
        let numbers = (0..<count).map { "+86137" + String(format: "%08d", $0) }
        let settings = JobSettings(templateID: "tmpl0001", from: "8824000000001")
        let job = try await store.createJob(JobDraft(name: "reports", settings: settings,
                                                     numbers: numbers.map { NumberDraft(e164: $0) }), runner: runner)
        var ids: [String] = []
        ids.reserveCapacity(count)
        while let chunk = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: 500).chunk {
            var outcomes: [String: NumberOutcome] = [:]
            for (index, number) in chunk.numbers.enumerated() {
                let id = "\(chunk.extendTag)-\(index)"
                outcomes[number] = .accepted(smsMsgId: id)
                ids.append(id)
            }
            _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: ChunkAnswer(
                requestStartedAt: Date(), code: "000000", description: "Success", outcomes: outcomes,
                unlisted: .unconfirmed(description: "missing")))
        }
        return ids
    }
}

/// Posts report bodies to the receiver over libcurl, `concurrency` at a time.
private final class ReceiverBenchmarkClient: Sendable {
    struct Figures {
        var posts: Int
        var reports: Int
        var seconds: Double
        var p50: Double
        var p99: Double

        func line(label: String) -> String {
            String(format: "%@: %d posts, %d reports in %.2f s: %.0f reports/s, %.0f posts/s, p50 %.2f ms, p99 %.2f ms",
                   label, posts, reports, seconds, Double(reports) / seconds, Double(posts) / seconds, p50, p99)
        }
    }

    let url: String
    let concurrency: Int
    let transport: PlatformHTTPTransport

    init(url: String, concurrency: Int) {
        self.url = url
        self.concurrency = concurrency
        transport = try! PlatformHTTPTransport(options: PlatformTransportOptions(
            connectTimeout: 2, requestTimeout: 30, maxConnectionsPerHost: concurrency))
    }

    func shutdown() { transport.shutdown() }

    func post(_ bodies: [[UInt8]], contentType: String, reports: Int) async throws -> Figures {
        let clock = ContinuousClock()
        let start = clock.now
        let headers = [PlatformHTTPHeader("Content-Type", contentType)]
        let latencies = try await withThrowingTaskGroup(of: Double.self, returning: [Double].self) { group in
            var next = 0
            var latencies: [Double] = []
            latencies.reserveCapacity(bodies.count)
            func launch(_ index: Int) {
                let request = PlatformHTTPRequest(url: url, headers: headers, body: bodies[index])
                group.addTask {
                    let began = clock.now
                    let exchange = await self.transport.perform(request)
                    guard case .answered(let response) = exchange, response.status == 200 else {
                        throw BenchmarkError("report post \(index) failed: \(exchange)")
                    }
                    return ReceiverBenchmarkSend.milliseconds(clock.now - began)
                }
            }
            while next < min(concurrency, bodies.count) {
                launch(next)
                next += 1
            }
            while let latency = try await group.next() {
                latencies.append(latency)
                if next < bodies.count {
                    launch(next)
                    next += 1
                }
            }
            return latencies
        }
        return Figures(posts: bodies.count, reports: reports,
                       seconds: ReceiverBenchmarkSend.milliseconds(clock.now - start) / 1000,
                       p50: Measurement.percentile(latencies, 0.5), p99: Measurement.percentile(latencies, 0.99))
    }
}

/// A send running beside the receiver: a job's chunks claimed, sent to the simulator and
/// recorded in the same store, paced at `rate` numbers/s, until cancelled.
private struct ReceiverBenchmarkSend: Sendable {
    struct Figures {
        var chunks: Int
        var p50: Double
        var p99: Double
        var max: Double
    }

    let store: JobStore
    let runner: RunnerLease
    let endpoint: String
    let rate: Int
    let job: JobID

    /// Creates the job to send (100,000 numbers: over three minutes at 500/s).
    static func prepare(store: JobStore, runner: RunnerLease, endpoint: String, rate: Int) async throws -> Self {
        let numbers = (0..<100_000).map { NumberDraft(e164: "+86136" + String(format: "%08d", $0)) }
        // No send window: the benchmark sends Chinese mainland numbers whatever the hour in Beijing.
        let settings = JobSettings(templateID: "tmpl0001", from: "8824000000001", params: ["1"], sendWindow: .any)
        let job = try await store.createJob(JobDraft(name: "send", settings: settings, numbers: numbers), runner: runner)
        return Self(store: store, runner: runner, endpoint: endpoint, rate: rate, job: job.id)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    func run() async throws -> Figures {
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: endpoint, credentials: .simulatorDemo, transport: PlatformTransportOptions(connectTimeout: 2, requestTimeout: 10)))
        defer { client.shutdown() }
        let clock = ContinuousClock()
        let interval = Duration.seconds(500.0 / Double(rate))
        var storeTimes: [Double] = []
        var due = clock.now
        while !Task.isCancelled {
            let claimStart = clock.now
            guard let chunk = try await store.claimChunk(for: job, runner: runner, maxNumbers: 500).chunk else { break }
            var storeTime = Self.milliseconds(clock.now - claimStart)
            let request = PlatformBatchSendRequest(from: "8824000000001", to: chunk.numbers, templateId: "tmpl0001",
                                                   templateParas: ["1"], extend: chunk.extendTag)
            let started = Date()
            guard case .answered(let response) = try await client.send(request) else {
                throw BenchmarkError("the simulator did not answer chunk \(chunk.sequence)")
            }
            var outcomes: [String: NumberOutcome] = [:]
            for result in response.results where result.isAccepted { outcomes[result.originTo] = .accepted(smsMsgId: result.smsMsgId) }
            let recordStart = clock.now
            _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: ChunkAnswer(
                requestStartedAt: started, code: response.code ?? "", description: response.description ?? "",
                outcomes: outcomes, unlisted: .unconfirmed(description: "missing")))
            storeTime += Self.milliseconds(clock.now - recordStart)
            storeTimes.append(storeTime)
            due = due.advanced(by: interval)
            do { try await Task.sleep(until: due, clock: clock) } catch { break }
        }
        guard !storeTimes.isEmpty else { return Figures(chunks: 0, p50: 0, p99: 0, max: 0) }
        return Figures(chunks: storeTimes.count, p50: Measurement.percentile(storeTimes, 0.5),
                       p99: Measurement.percentile(storeTimes, 0.99), max: storeTimes.max() ?? 0)
    }
}
