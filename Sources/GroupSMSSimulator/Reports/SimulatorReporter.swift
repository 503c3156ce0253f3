import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GroupSMSModel
import Synchronization

/// Where one request's reports go, and in which form.
enum SimulatorReportDestination: Sendable, Equatable {
    /// The request's `statusCallback`: one form post per report.
    case statusCallback(String)
    /// The console-configured URL: batch JSON posts of up to the batch size.
    case console(String)
}

/// Pushes status reports after the configured delay, each post exactly once: the platform
/// "does not process the response", so a receiver that answers 500 or is down loses the post.
final class SimulatorReporter: Sendable {
    private struct Job: Sendable {
        let reports: [SimulatorStatusReport]
        let destination: SimulatorReportDestination
        let due: Date
    }

    /// Counters of the posts made so far.
    struct Counters: Sendable, Equatable {
        var posts = 0
        var answered200 = 0
        var failed = 0
    }

    /// The locked counters (a class, so the delivery tasks can hold them).
    private final class CounterBox: Sendable {
        let value = Mutex(Counters())
    }

    private let jobs: AsyncStream<Job>.Continuation
    private let worker: Task<Void, Never>
    private let counters: CounterBox
    private let session: URLSession

    init(configuration: SimulatorReportConfiguration, clock: any WallClock) {
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = 5
        sessionConfiguration.httpMaximumConnectionsPerHost = 8
        let session = URLSession(configuration: sessionConfiguration)
        self.session = session
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        jobs = continuation
        let batchSize = min(max(configuration.batchSize, 1), SimulatorReportConfiguration.maximumBatchSize)
        let counters = CounterBox()
        self.counters = counters
        worker = Task {
            await withDiscardingTaskGroup { group in
                for await job in stream {
                    group.addTask {
                        do { try await clock.sleep(until: job.due) } catch { return }
                        for post in Self.posts(job.reports, to: job.destination, batchSize: batchSize) {
                            if Task.isCancelled { return }
                            let answered200 = await Self.send(post, session: session)
                            counters.value.withLock {
                                $0.posts += 1
                                if answered200 { $0.answered200 += 1 } else { $0.failed += 1 }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Queues `reports` for `destination`, to be pushed at `due`.
    func schedule(_ reports: [SimulatorStatusReport], to destination: SimulatorReportDestination, due: Date) {
        guard !reports.isEmpty else { return }
        jobs.yield(Job(reports: reports, destination: destination, due: due))
    }

    /// The posts made so far.
    var snapshot: Counters { counters.value.withLock { $0 } }

    /// Stops pushing: queued and waiting reports are dropped, running posts cancelled.
    func shutdown() async {
        jobs.finish()
        worker.cancel()
        await worker.value
        session.invalidateAndCancel()
    }

    /// The HTTP posts for one job's reports.
    static func posts(_ reports: [SimulatorStatusReport], to destination: SimulatorReportDestination,
                      batchSize: Int) -> [URLRequest] {
        switch destination {
        case .statusCallback(let url):
            return reports.compactMap {
                request(url, contentType: "application/x-www-form-urlencoded", body: Data($0.formBody().utf8))
            }
        case .console(let url):
            return stride(from: 0, to: reports.count, by: batchSize).compactMap { start in
                let slice = reports[start..<min(start + batchSize, reports.count)]
                return request(url, contentType: "application/json;charset=UTF-8",
                               body: Data(SimulatorStatusReport.batchBody(slice)))
            }
        }
    }

    private static func request(_ url: String, contentType: String, body: Data) -> URLRequest? {
        guard let target = URL(string: url) else { return nil }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return request
    }

    /// Posts once; true when the receiver answered 200.
    private static func send(_ request: URLRequest, session: URLSession) async -> Bool {
        guard let (_, response) = try? await session.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }
}
