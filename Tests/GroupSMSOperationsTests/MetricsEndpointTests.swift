import Foundation
import Testing
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSJobs
import GroupSMSReports
import GroupSMSOperations
import GroupSMSSimulator
import GroupSMSTestSupport

/// `GET /metrics` after a real small job: 60 numbers sent in chunks of 25 to the simulator over
/// loopback, its status reports pushed back to the receiver, the scrape read by the strict parser.
@Suite struct MetricsEndpointTests {
    @Test func aScrapeAfterARealJobCountsItsRequestsNumbersAndReports() async throws {
        let folder = try TemporaryDirectory(prefix: "ops-metrics")
        let clock = SystemWallClock()
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        let metrics = OperationsMetrics(paceRate: 500, paceWindow: 1)
        let receiver = try await StatusReportReceiver.start(
            store: store, host: "127.0.0.1", port: 0, pathToken: StatusReportReceiver.makePathToken(),
            operations: StatusReportReceiverOperations(
                metrics: metrics.reports, routes: OperationsEndpoints(metrics: metrics, store: store, clock: clock)),
            log: { _ in })
        var configuration = SimulatorConfiguration()
        configuration.reports.delay = 0
        // Numbers ending in 1 are undelivered (retryable), in 2 blacklisted (opted out): 6 of each.
        configuration.reports.statusBySuffix = ["1": "UNDELIV", "2": "BLACK"]
        let simulator = try await PlatformSimulator.start(configuration, clock: clock)
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: simulator.endpoint, credentials: .simulatorDemo,
            transport: PlatformTransportOptions(connectTimeout: 2, requestTimeout: 10)), clock: clock)
        do {
            let lease = StoreFixtures.remoteLease()
            let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(60)), runner: lease)
            let runner = JobRunner(jobID: job.id, store: store, client: client, pacer: SendPacer(rate: 500, clock: clock),
                                   clock: clock, lease: lease, options: JobRunnerOptions(
                                       chunkSize: 25, statusCallback: receiver.callbackURL, metrics: metrics.send))
            #expect(try await runner.run() == .finished)
            // A report may overtake its chunk's answer: the store holds it until the answer is recorded.
            try await waitUntil("the 60 reports are received and on their numbers") {
                let awaiting = try await store.summary(of: job.id).awaitingReport
                return receiver.counters().received == 60 && awaiting == 0
            }
            let scrape = try await OperationsHTTP.request("http://127.0.0.1:\(receiver.port)/metrics")
            #expect(scrape.status == 200)
            #expect(scrape.contentType == "text/plain; version=0.0.4; charset=utf-8")
            try Self.check(try PrometheusText(parsing: scrape.body))
        } catch {
            client.shutdown()
            await simulator.shutdown()
            await receiver.shutdown()
            throw error
        }
        client.shutdown()
        await simulator.shutdown()
        await receiver.shutdown()
    }

    private static func check(_ text: PrometheusText) throws {
        // Every metric of the catalogue, typed and with its help text.
        for metric in OperationsMetric.all {
            let family = try #require(text.family(metric.name), "\(metric.name) is missing")
            #expect(family.type == metric.kind.rawValue)
            #expect(family.help == metric.help)
        }
        #expect(text.value("groupsms_numbers_sent_total") == 60)
        #expect(text.value("groupsms_requests_total", ["outcome": "answered"]) == 3)
        for outcome in RequestOutcome.allCases where outcome != .answered {
            #expect(text.value("groupsms_requests_total", ["outcome": outcome.rawValue]) == 0)
        }
        #expect(text.value("groupsms_reports_received_total", ["status_class": "delivered"]) == 48)
        #expect(text.value("groupsms_reports_received_total", ["status_class": "retryable"]) == 6)
        #expect(text.value("groupsms_reports_received_total", ["status_class": "opted-out"]) == 6)
        #expect(text.value("groupsms_reports_received_total", ["status_class": "interim"]) == 0)
        #expect(text.value("groupsms_request_duration_seconds_count") == 3)
        #expect(try #require(text.value("groupsms_request_duration_seconds_sum")) > 0)
        #expect(text.value("groupsms_jobs", ["state": "finished"]) == 1)
        for state in JobState.allCases where state != .finished {
            #expect(text.value("groupsms_jobs", ["state": state.rawValue]) == 0)
        }
        #expect(text.value("groupsms_unconfirmed_numbers") == 0)
        #expect(text.value("groupsms_store_up") == 1)
        // The 60 starts are within the last 10 s: 60 of the 5,000 the pace allows then.
        let pace = try #require(text.value("groupsms_pace_utilisation_ratio"))
        #expect(abs(pace - 60.0 / 5000) < 1e-9)
    }
}
