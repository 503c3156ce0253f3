import Foundation
import GroupSMSSimulator
import GroupSMSTestSupport
import Testing
@testable import GroupSMSModel
@testable import GroupSMSPlatform
@testable import GroupSMSStore
@testable import GroupSMSReports

/// The whole loop: chunks claimed from the store, sent through the real PlatformClient to the
/// simulated platform with `statusCallback` = the receiver (or none, with the receiver as the
/// console-configured batch URL), and the simulator's reports pushed back over loopback until
/// the job has its exact delivery counts.
@Suite struct ReceiverSimulatorTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "receiver-sim")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    /// Sends every chunk of `job` and records each answer, as the runner does.
    private func sendAll(_ job: JobRecord, client: PlatformClient, callback: String?, chunkSize: Int) async throws {
        while let chunk = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: chunkSize).chunk {
            let request = PlatformBatchSendRequest(from: job.from, to: chunk.numbers, templateId: job.templateID,
                                                   templateParas: job.params, statusCallback: callback,
                                                   extend: chunk.extendTag, signature: job.signature)
            let started = clock.now()
            guard case .answered(let response) = try await client.send(request) else {
                throw ReceiverTestFailure("the simulator did not answer chunk \(chunk.sequence)")
            }
            var outcomes: [String: NumberOutcome] = [:]
            for result in response.results {
                outcomes[result.originTo] = result.isAccepted ? .accepted(smsMsgId: result.smsMsgId)
                    : .failed(code: result.status, description: "refused at submit", failureClass: .retryable)
            }
            _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: ChunkAnswer(
                requestStartedAt: started, code: response.code ?? "", description: response.description ?? "",
                outcomes: outcomes, unlisted: .unconfirmed(description: "missing from the answer")))
        }
    }

    /// Where the simulator sends the reports: to each request's `statusCallback` (single form
    /// posts), or, for requests without one, to the console-configured URL (batch JSON).
    enum ReportRoute: CaseIterable { case statusCallback, console }

    @Test(arguments: ReportRoute.allCases)
    func theSimulatorsReportsBringTheJobToTheExactCounts(route: ReportRoute) async throws {
        let http = try await ReceiverHarness.start(store: store, pathToken: StatusReportReceiver.makePathToken())
        var configuration = SimulatorConfiguration()
        configuration.reports.consoleCallbackURL = route == .console ? http.receiver.callbackURL : nil
        configuration.reports.batchSize = 7
        configuration.reports.delay = 5
        // Serials end in 0-9: 1 UNDELIV and 4 EXPIRED (retryable), 2 BLACK and 3 SC:0016 (opted out).
        configuration.reports.statusBySuffix = ["1": "UNDELIV", "2": "BLACK", "3": "SC:0016", "4": "EXPIRED"]
        let simulator = try await PlatformSimulator.start(configuration, clock: clock)
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: simulator.endpoint, credentials: .simulatorDemo,
            transport: PlatformTransportOptions(connectTimeout: 2, requestTimeout: 10)), clock: clock)
        defer { client.shutdown() }
        do {
            let numbers = StoreFixtures.numbers(60)
            let job = try await store.createJob(StoreFixtures.draft(numbers), runner: runner)
            try await sendAll(job, client: client, callback: route == .statusCallback ? http.receiver.callbackURL : nil,
                              chunkSize: 25)
            #expect(try await store.summary(of: job.id).awaitingReport == 60)
            clock.advance(by: 6)
            // 60 single posts, or per chunk of 25/25/10 reports 4 + 4 + 2 batch posts of at most 7.
            let posts = route == .statusCallback ? 60 : 10
            try await waitUntil("the simulator's \(posts) posts are stored") {
                http.receiver.counters().acceptedRequests == posts && simulator.reportPosts.answered200 == posts
            }
            let counters = http.receiver.counters()
            #expect(counters.received == 60 && counters.applied == 60 && counters.unknown == 0 && counters.rejected == 0)
            #expect(counters.delivered == 36 && counters.failed == 24)
            #expect(simulator.reportPosts.failed == 0 && simulator.reportPosts.posts == posts)

            let summary = try await store.summary(of: job.id)
            #expect(summary.count(.delivered) == 36 && summary.count(.failed) == 24 && summary.awaitingReport == 0)
            #expect(summary.failuresByClass == [.retryable: 12, .optedOut: 12])
            #expect(summary.failuresByReason == ["UNDELIV": 6, "EXPIRED": 6, "BLACK": 6, "SC:0016": 6])
            let suppressed = Set(try await store.suppressionList().map(\.number))
            #expect(suppressed == Set(numbers.filter { $0.hasSuffix("2") || $0.hasSuffix("3") }))

            // A later job with ten of the numbers skips the two now suppressed (failed at creation).
            let later = try await store.createJob(StoreFixtures.draft(Array(numbers.prefix(10)), name: "later"), runner: runner)
            let claim = try await store.claimChunk(for: later.id, runner: runner)
            #expect(claim.chunk?.numbers == numbers.prefix(10).filter { !$0.hasSuffix("2") && !$0.hasSuffix("3") })
            #expect(try await store.summary(of: later.id).failuresByReason == ["SUPPRESSED": 2])
        } catch {
            await http.stop()
            await simulator.shutdown()
            throw error
        }
        await http.stop()
        await simulator.shutdown()
    }

    @Test func numbersWithoutAReportExpireAfter72HoursInTheJobSummary() async throws {
        let numbers = StoreFixtures.numbers(4)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let http = try await ReceiverHarness.start(store: store)
        do {
            #expect(try await http.postForm(["smsMsgId": ids[numbers[0]]!, "status": "DELIVRD"]).status == 200)
            clock.advance(by: 72 * 3600 - 1)
            #expect(try await store.expireOverdueReports() == 0)
            clock.advance(by: 1)
            #expect(try await store.expireOverdueReports() == 3)
            let summary = try await store.summary(of: job.id)
            #expect(summary.count(.delivered) == 1 && summary.count(.failed) == 3 && summary.awaitingReport == 0)
            #expect(summary.failuresByReason == ["EXPIRED": 3] && summary.failuresByClass == [.retryable: 3])
            let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
            #expect(json["awaitingReport"] as? Int == 0 && json["delivered"] as? Int == 1)
            #expect(json["failuresByClass"] as? [String: Int] == ["retryable": 3])
            #expect(json["failuresByReason"] as? [String: Int] == ["EXPIRED": 3])
            // A report that comes late still moves the number on.
            #expect(try await http.postForm(["smsMsgId": ids[numbers[1]]!, "status": "DELIVRD"]).status == 200)
            #expect(try await store.summary(of: job.id).count(.delivered) == 2)
        } catch {
            await http.stop()
            throw error
        }
        await http.stop()
    }
}
