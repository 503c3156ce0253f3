import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
@testable import GroupSMSReports

/// The receiver over real loopback HTTP with a real SQLite store.
@Suite struct StatusReportReceiverTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()
    static let success = #"{"returnCode":0,"returnCodeDesc":"Success"}"#

    init() throws {
        folder = try TemporaryDirectory(prefix: "receiver")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    private func withReceiver(token: String? = nil, _ body: (ReceiverHarness) async throws -> Void) async throws {
        let harness = try await ReceiverHarness.start(store: store, pathToken: token)
        do {
            try await body(harness)
            await harness.stop()
        } catch {
            await harness.stop()
            throw error
        }
    }

    private func state(_ e164: String, of job: JobID) async throws -> NumberRecord {
        try #require(try await store.numbers(of: job).first { $0.e164 == e164 })
    }

    @Test func singleAndBatchReportsAreAppliedAndAnsweredWithTheSuccessBody() async throws {
        let numbers = StoreFixtures.numbers(4)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        try await withReceiver { (http) async throws in
            #expect(http.receiver.callbackURL == "http://127.0.0.1:\(http.receiver.port)/reports")
            let single = try await http.postForm(["smsMsgId": ids[numbers[0]]!, "status": "DELIVRD", "total": "1",
                                                  "sequence": "1", "updateTime": "2026-12-01T00:00:05Z"])
            #expect(single.status == 200 && single.body == Self.success)
            let batch = try await http.postBatch([StatusReport(smsMsgId: ids[numbers[1]]!, status: "UNDELIV"),
                                                  StatusReport(smsMsgId: ids[numbers[2]]!, status: "BLACK"),
                                                  StatusReport(smsMsgId: ids[numbers[3]]!, status: "DELIVRD")])
            #expect(batch.status == 200 && batch.body == Self.success)
            let counters = http.receiver.counters()
            #expect(counters.acceptedRequests == 2 && counters.received == 4 && counters.applied == 4)
            #expect(counters.delivered == 2 && counters.failed == 2 && counters.unknown == 0 && counters.rejected == 0)
        }
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.delivered) == 2 && summary.count(.failed) == 2 && summary.awaitingReport == 0)
        #expect(summary.failuresByClass == [.retryable: 1, .optedOut: 1])
        #expect(try await store.suppressionList().map(\.number) == [numbers[2]])
    }

    @Test func rootPathAlsoTakesReportsWithoutAToken() async throws {
        let numbers = StoreFixtures.numbers(1)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        try await withReceiver { (http) async throws in
            let answer = try await http.post(Array("smsMsgId=\(ids[numbers[0]]!)&status=DELIVRD".utf8),
                                             contentType: "application/x-www-form-urlencoded",
                                             url: "http://127.0.0.1:\(http.receiver.port)/")
            #expect(answer.status == 200)
            #expect(try await http.post([], contentType: nil, url: "http://127.0.0.1:\(http.receiver.port)/other").status == 404)
        }
        #expect(try await store.summary(of: job.id).count(.delivered) == 1)
    }

    @Test func duplicatesAndOutOfOrderReportsLeaveTheRightState() async throws {
        let numbers = StoreFixtures.numbers(2)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let delivered0 = StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD", updateTime: "2026-12-01T00:01:00Z")
        let failed0 = StatusReport(smsMsgId: ids[numbers[0]]!, status: "UNDELIV", updateTime: "2026-12-01T00:00:30Z")
        let failed1 = StatusReport(smsMsgId: ids[numbers[1]]!, status: "UNDELIV", updateTime: "2026-12-01T00:02:00Z")
        try await withReceiver { (http) async throws in
            // DELIVRD first, then an older failure: the delivery stands. The platform retries a batch.
            #expect(try await http.postBatch([delivered0, failed1]).status == 200)
            #expect(try await http.postBatch([failed0]).status == 200)
            #expect(try await http.postBatch([delivered0, failed1]).status == 200)
            let counters = http.receiver.counters()
            #expect(counters.received == 5 && counters.duplicates == 2 && counters.applied == 3)
        }
        #expect(try await state(numbers[0], of: job.id).state == .delivered)
        let failed = try await state(numbers[1], of: job.id)
        #expect(failed.state == .failed && failed.code == "UNDELIV")
        #expect(try await store.statusReports(forMessage: ids[numbers[0]]!).count == 2)
    }

    @Test func aLongMessageIsDeliveredOnlyWhenEveryPartArrives() async throws {
        let numbers = StoreFixtures.numbers(1)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let id = ids[numbers[0]]!
        try await withReceiver { (http) async throws in
            #expect(try await http.postForm(["smsMsgId": id, "status": "DELIVRD", "total": "3", "sequence": "3"]).status == 200)
            #expect(try await http.postForm(["smsMsgId": id, "status": "DELIVRD", "total": "3", "sequence": "1"]).status == 200)
            #expect(try await state(numbers[0], of: job.id).state == .accepted, "part 2 is still missing")
            #expect(try await http.postForm(["smsMsgId": id, "status": "DELIVRD", "total": "3", "sequence": "2"]).status == 200)
        }
        #expect(try await state(numbers[0], of: job.id).state == .delivered)
    }

    @Test func unknownMessageIDsAreAnswered200CountedAndLogged() async throws {
        try await withReceiver { (http) async throws in
            let answer = try await http.postBatch([StatusReport(smsMsgId: "nobody-1", status: "DELIVRD"),
                                                   StatusReport(smsMsgId: "nobody-2", status: "UNDELIV")])
            #expect(answer.status == 200 && answer.body == Self.success)
            #expect(http.receiver.counters().unknown == 2 && http.receiver.counters().applied == 0)
            #expect(http.logLines.all.count == 1)
            #expect(http.logLines.all.first?.contains("2 report(s) for a message id no job here has") == true)
            #expect(http.logLines.all.first?.contains("nobody-1") == true)
        }
        #expect(try await store.statusReportCounts() == StatusReportCounts(unknownReceived: 2, held: 2))
    }

    @Test func malformedBodiesAreAnswered200CountedAndKeptRaw() async throws {
        try await withReceiver { (http) async throws in
            let cases: [(String, String?)] = [
                ("status=DELIVRD", "application/x-www-form-urlencoded"),
                ("{\"statusReportList\":[{\"smsMsgId\":\"a\"}]", "application/json"),
                ("", nil),
                ("smsMsgId=a&status=%ZZ", "application/x-www-form-urlencoded"),
            ]
            for (body, contentType) in cases {
                let answer = try await http.post(Array(body.utf8), contentType: contentType)
                #expect(answer.status == 200 && answer.body == Self.success, "\(body)")
            }
            let counters = http.receiver.counters()
            #expect(counters.malformed == 4 && counters.acceptedRequests == 4 && counters.received == 0)
            #expect(counters.rejected == 0)
            #expect(http.logLines.all.count == 4)
            #expect(http.logLines.all.last?.contains("1 malformed report entry in a request") == true)
        }
        #expect(try await store.statusReportIntakeCounts().malformed == 4)
        #expect(try await store.statusReportCounts().unknownReceived == 0)
    }

    @Test func bodiesOverOneMebibyteAre413AndTheReceiverKeepsWorking() async throws {
        let numbers = StoreFixtures.numbers(1)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        try await withReceiver { (http) async throws in
            let huge = [UInt8](repeating: UInt8(ascii: "a"), count: StatusReportParser.maximumBodyBytes + 1)
            let answer = try await http.post(huge, contentType: "application/x-www-form-urlencoded")
            #expect(answer.status == 413 && answer.body.contains("over the 1048576-byte limit"))
            let exact = [UInt8](repeating: UInt8(ascii: " "), count: StatusReportParser.maximumBodyBytes)
            let read = try await http.post(exact, contentType: nil)
            #expect(read.status == 200, "exactly 1 MiB is read and parsed (empty, so malformed)")
            #expect(try await http.postForm(["smsMsgId": ids[numbers[0]]!, "status": "DELIVRD"]).status == 200)
            #expect(http.receiver.counters().rejected == 1 && http.receiver.counters().malformed == 1)
        }
        #expect(try await store.summary(of: job.id).count(.delivered) == 1)
    }

    @Test func withATokenOnlyTheSecretPathTakesReports() async throws {
        let numbers = StoreFixtures.numbers(1)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let token = StatusReportReceiver.makePathToken()
        #expect(token.count == 32)
        try await withReceiver(token: token) { (http) async throws in
            let base = "http://127.0.0.1:\(http.receiver.port)"
            #expect(http.receiver.callbackURL == "\(base)/reports/\(token)")
            let body = Array("smsMsgId=\(ids[numbers[0]]!)&status=DELIVRD".utf8)
            let form = "application/x-www-form-urlencoded"
            for path in ["/reports", "/", "/reports/\(token.dropLast())", "/reports/\(token)x", "/reports/\(token)/x"] {
                #expect(try await http.post(body, contentType: form, url: base + path).status == 404, "\(path)")
            }
            #expect(try await http.post([], contentType: nil, url: http.receiver.callbackURL, method: "GET").status == 405)
            #expect(http.receiver.counters().notFound == 6 && http.receiver.counters().received == 0)
            #expect(try await http.post(body, contentType: form).status == 200)
        }
        #expect(try await store.summary(of: job.id).count(.delivered) == 1)
    }

    @Test func guessableOrUnsafeTokensAreRefused() async throws {
        for token in ["short", "has/slash-and-is-long-enough", "space in the token 123", String(repeating: "a", count: 129)] {
            await #expect(throws: StatusReportReceiverError.badPathToken(length: token.utf8.count)) {
                _ = try await StatusReportReceiver.start(store: store, host: "127.0.0.1", port: 0, pathToken: token)
            }
        }
    }

    @Test func aBusyPortIsRefusedWithTheAddress() async throws {
        try await withReceiver { (http) async throws in
            await #expect(throws: StatusReportReceiverError.self) {
                _ = try await StatusReportReceiver.start(store: store, host: "127.0.0.1", port: http.receiver.port, pathToken: nil)
            }
        }
    }

    @Test func aReportWhoseExtendNamesAnUnconfirmedChunkConfirmsIt() async throws {
        let numbers = StoreFixtures.numbers(3)
        let job = try await store.createJob(StoreFixtures.draft(numbers), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        _ = try await store.markChunkUnconfirmed(chunk.id, runner: runner, reason: "the connection dropped after sending",
                                                 requestStartedAt: clock.now())
        #expect(try await store.summary(of: job.id).count(.unconfirmed) == 3)
        try await withReceiver { (http) async throws in
            let answer = try await http.postForm(["smsMsgId": "platform-id-7", "status": "DELIVRD",
                                                  "extend": chunk.extendTag, "to": numbers[1]])
            #expect(answer.status == 200)
            #expect(http.receiver.counters().confirmed == 1 && http.receiver.counters().delivered == 1)
        }
        #expect(try await state(numbers[1], of: job.id).state == .delivered)
        #expect(try await store.summary(of: job.id).count(.unconfirmed) == 2)
    }

    @Test func manyConcurrentSingleReportsAreAllStored() async throws {
        let numbers = StoreFixtures.numbers(200)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner, chunkSize: 100)
        try await withReceiver { (http) async throws in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for number in numbers {
                    group.addTask { try await http.postForm(["smsMsgId": ids[number]!, "status": "DELIVRD"]).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 200))
            #expect(http.receiver.counters().applied == 200)
        }
        #expect(try await store.summary(of: job.id).count(.delivered) == 200)
    }
}
