import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSReports
import Synchronization

/// Pushes status reports to `statusCallback` URLs after the configured delay, as single form
/// posts or batch JSON, and tries a post again when the receiver does not answer 200.
final class SimulatorReporter: Sendable {
    private struct Job: Sendable {
        let reports: [StatusReport]
        let callback: String
        let due: Date
    }

    /// Counters of the posts made so far.
    struct Counters: Sendable, Equatable {
        var attempts = 0
        var delivered = 0
        var failedAttempts = 0
    }

    /// The shared, locked counters (a class, so the delivery tasks can hold it).
    final class CounterBox: Sendable {
        let value = Mutex(Counters())
    }

    private let configuration: SimulatorReportConfiguration
    private let clock: any WallClock
    private let transport: PlatformHTTPTransport
    private let jobs: AsyncStream<Job>.Continuation
    private let worker: Task<Void, Never>
    private let counters = CounterBox()

    init(configuration: SimulatorReportConfiguration, clock: any WallClock) throws {
        self.configuration = configuration
        self.clock = clock
        let transport = try PlatformHTTPTransport(options: PlatformTransportOptions(connectTimeout: 2, requestTimeout: 5))
        self.transport = transport
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        jobs = continuation
        let counters = self.counters
        worker = Task {
            await withDiscardingTaskGroup { group in
                for await job in stream {
                    group.addTask {
                        await Self.deliver(job, configuration: configuration, clock: clock, transport: transport, counters: counters)
                    }
                }
            }
        }
    }

    /// Queues `reports` for `callback`, to be pushed at `due`.
    func schedule(_ reports: [StatusReport], to callback: String, due: Date) {
        jobs.yield(Job(reports: reports, callback: callback, due: due))
    }

    /// The posts made so far.
    var snapshot: Counters { counters.value.withLock { $0 } }

    /// Stops pushing: queued and waiting reports are dropped, running posts cancelled.
    func shutdown() async {
        jobs.finish()
        worker.cancel()
        await worker.value
        transport.shutdown()
    }

    private static func deliver(_ job: Job, configuration: SimulatorReportConfiguration, clock: any WallClock,
                                transport: PlatformHTTPTransport, counters: CounterBox) async {
        do { try await clock.sleep(until: job.due) } catch { return }
        switch configuration.format {
        case .single:
            for report in job.reports {
                let request = PlatformHTTPRequest(
                    url: job.callback, headers: [PlatformHTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array(report.formBody().utf8))
                guard await post(request, configuration: configuration, clock: clock, transport: transport, counters: counters) else { return }
            }
        case .batch:
            let size = min(max(configuration.batchSize, 1), StatusReportParser.maximumBatchReports)
            for start in stride(from: 0, to: job.reports.count, by: size) {
                let request = PlatformHTTPRequest(
                    url: job.callback, headers: [PlatformHTTPHeader("Content-Type", "application/json;charset=UTF-8")],
                    body: StatusReport.batchBody(job.reports[start..<min(start + size, job.reports.count)]))
                guard await post(request, configuration: configuration, clock: clock, transport: transport, counters: counters) else { return }
            }
        }
    }

    /// Posts until HTTP 200 or `maxAttempts`; false when the task was cancelled.
    private static func post(_ request: PlatformHTTPRequest, configuration: SimulatorReportConfiguration, clock: any WallClock,
                             transport: PlatformHTTPTransport, counters: CounterBox) async -> Bool {
        for attempt in 1...max(configuration.maxAttempts, 1) {
            if Task.isCancelled { return false }
            let exchange = await transport.perform(request)
            var succeeded = false
            if case .answered(let response) = exchange, response.status == 200 { succeeded = true }
            counters.value.withLock {
                $0.attempts += 1
                if succeeded { $0.delivered += 1 } else { $0.failedAttempts += 1 }
            }
            if succeeded || attempt == configuration.maxAttempts { return true }
            do { try await clock.sleep(seconds: configuration.retryDelay) } catch { return false }
        }
        return true
    }
}
