import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSHTTPServer
import GroupSMSReports
import GroupSMSSimulator
import GroupSMSTestSupport
import Hummingbird
import Testing

/// A status-report receiver for tests: a real Hummingbird server that keeps every post.
final class TestReportReceiver: Sendable {
    struct Post: Sendable {
        let contentType: String
        let body: [UInt8]
    }

    actor Inbox {
        var posts: [Post] = []
        var failuresLeft: Int
        init(failFirst: Int) { failuresLeft = failFirst }
        /// Stores a post; true when it should be answered 200.
        func take(_ post: Post) -> Bool {
            posts.append(post)
            guard failuresLeft > 0 else { return true }
            failuresLeft -= 1
            return false
        }
    }

    let inbox: Inbox
    let url: String
    private let server: HTTPServerHost

    private init(inbox: Inbox, url: String, server: HTTPServerHost) {
        self.inbox = inbox
        self.url = url
        self.server = server
    }

    /// Starts on a free loopback port; the first `failFirst` posts are answered 500.
    static func start(failFirst: Int = 0) async throws -> TestReportReceiver {
        let inbox = Inbox(failFirst: failFirst)
        let router = Router()
        router.post("/report") { request, _ -> Response in
            let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let contentType = request.headers[.contentType] ?? ""
            let ok = await inbox.take(Post(contentType: contentType, body: body))
            return Response(status: ok ? .ok : .internalServerError, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: StatusReportParser.successAnswer)))
        }
        let server = try await HTTPServerHost.start(responder: router.buildResponder())
        let port = server.port
        return TestReportReceiver(inbox: inbox, url: "http://127.0.0.1:\(port)/report", server: server)
    }

    /// Waits (up to 10 s of real time) until `count` posts arrived, and returns them.
    func posts(atLeast count: Int) async throws -> [Post] {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let posts = await inbox.posts
            if posts.count >= count { return posts }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw PlatformTestFailure("only \(await inbox.posts.count) of \(count) report posts arrived")
    }

    func shutdown() async {
        await server.shutdown()
    }
}

@Suite("Platform status reports")
struct PlatformStatusReportTests {
    private func reports(_ configure: @escaping (inout SimulatorConfiguration) -> Void, clock: any WallClock = SystemWallClock(),
                         failFirst: Int = 0,
                         _ body: (PlatformSimulator, PlatformClient, TestReportReceiver) async throws -> Void) async throws {
        let receiver = try await TestReportReceiver.start(failFirst: failFirst)
        do {
            try await PlatformTestKit.withSimulator(clock: clock, {
                $0.reports.enabled = true
                $0.reports.delay = 0.05
                configure(&$0)
            }) { simulator in
                let client = try PlatformTestKit.client(simulator.endpoint, clock: clock)
                defer { client.shutdown() }
                try await body(simulator, client, receiver)
            }
        } catch {
            await receiver.shutdown()
            throw error
        }
        await receiver.shutdown()
    }

    @Test func singleReportsCarryExtendAndToAndTheConfiguredMix() async throws {
        try await reports({ $0.reports.statusBySuffix = ["2": "UNDELIV", "03": "BLACK"] }) { _, client, receiver in
            let numbers = ["+8613100000001", "+8613100000002", "+8613100000003"]
            let answer = try PlatformTestKit.answer(try await client.send(
                PlatformTestKit.request(numbers, extend: "job7-c3", callback: receiver.url)))
            let posts = try await receiver.posts(atLeast: 3)
            #expect(posts.count == 3)
            #expect(posts.allSatisfy { $0.contentType.hasPrefix("application/x-www-form-urlencoded") })
            let received = posts.compactMap { try? StatusReportParser.parseSingle(String(decoding: $0.body, as: UTF8.self)) }
            let byID = Dictionary(uniqueKeysWithValues: received.map { ($0.smsMsgId, $0) })
            for result in answer.results {
                let report = try #require(byID[result.smsMsgId])
                #expect(report.extend == "job7-c3")
                #expect(report.to == result.originTo)
                #expect(report.total == 1 && report.sequence == 1)
                #expect(report.updateTime.flatMap(PlatformTimestamp.parseISO) != nil)
            }
            #expect(received.first { $0.to == numbers[0] }?.status == "DELIVRD")
            #expect(received.first { $0.to == numbers[1] }?.status == "UNDELIV")
            #expect(received.first { $0.to == numbers[2] }?.status == "BLACK")
            #expect(received.first { $0.to == numbers[2] }.map { PlatformCodeCatalogue.reportClass(for: $0.status) } == .optedOut)
        }
    }

    @Test func withoutStatusCallbackBatchReportsGoToTheConsoleURL() async throws {
        let console = try await TestReportReceiver.start()
        do {
            try await reports({ $0.reports.consoleCallbackURL = console.url; $0.reports.batchSize = 2 }) { _, client, receiver in
                let answer = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(5))))
                let posts = try await console.posts(atLeast: 3)
                #expect(posts.allSatisfy { $0.contentType.hasPrefix("application/json") })
                let batches = posts.compactMap { try? StatusReportParser.parseBatch(String(decoding: $0.body, as: UTF8.self)) }
                #expect(batches.map(\.count).sorted() == [1, 2, 2])
                let reports = batches.flatMap { $0 }
                #expect(Set(reports.map(\.smsMsgId)) == Set(answer.results.map(\.smsMsgId)))
                #expect(reports.allSatisfy { $0.extend == nil && $0.to == nil && $0.status == "DELIVRD" })
                // A request with statusCallback still gets single reports there, none at the console.
                _ = try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1, start: 9), callback: receiver.url))
                let single = try await receiver.posts(atLeast: 1)
                #expect(single.count == 1 && single[0].contentType.hasPrefix("application/x-www-form-urlencoded"))
                #expect(await console.inbox.posts.count == 3)
            }
        } catch {
            await console.shutdown()
            throw error
        }
        await console.shutdown()
    }

    @Test func aReportIsPostedOnceEvenWhenTheReceiverFails() async throws {
        let clock = ManualWallClock()
        try await reports({ $0.reports.delay = 1 }, clock: clock, failFirst: 1) { simulator, client, receiver in
            let first = try PlatformTestKit.answer(try await client.send(
                PlatformTestKit.request(PlatformTestKit.numbers(1), callback: receiver.url)))
            clock.advance(by: 1)
            _ = try await receiver.posts(atLeast: 1)
            try await PlatformTestKit.waitUntil("the simulator has read the 500") { simulator.reportPosts.failed == 1 }
            // Long past any retry delay, a second request's report is the next post: the first is not resent.
            clock.advance(by: 3600)
            let second = try PlatformTestKit.answer(try await client.send(
                PlatformTestKit.request(PlatformTestKit.numbers(1, start: 1), callback: receiver.url)))
            clock.advance(by: 1)
            let posts = try await receiver.posts(atLeast: 2)
            let ids = posts.compactMap { try? StatusReportParser.parseSingle(String(decoding: $0.body, as: UTF8.self)).smsMsgId }
            #expect(ids == [first.results[0].smsMsgId, second.results[0].smsMsgId])
            try await PlatformTestKit.waitUntil("the simulator has read the 200") { simulator.reportPosts.posts == 2 }
            #expect(simulator.reportPosts == (posts: 2, answered200: 1, failed: 1))
        }
    }

    @Test func perNumberLimitsShowInTheReports() async throws {
        let clock = ManualWallClock()
        try await reports({ $0.reports.delay = 0 }, clock: clock) { _, client, receiver in
            let number = ["+8613100000009"]
            // Same content three times within 59 s: the third breaks "2 per 59 s".
            for _ in 0..<3 {
                _ = try await client.send(PlatformTestKit.request(number, callback: receiver.url))
                clock.advance(by: 1)
            }
            // Other content, 14 more within the minute: the 14th would be the 16th send (2 went
            // before, the limited one did not count) and breaks "15 per minute".
            for index in 0..<14 {
                _ = try await client.send(PlatformTestKit.request(number, callback: receiver.url, paras: ["\(index)"]))
            }
            let posts = try await receiver.posts(atLeast: 17)
            let statuses = posts.compactMap { try? StatusReportParser.parseSingle(String(decoding: $0.body, as: UTF8.self)).status }
            #expect(statuses.filter { $0 == "SC:0010" }.count == 1)
            #expect(statuses.filter { $0 == "MILIMIT" }.count == 1)
            #expect(statuses.filter { $0 == "DELIVRD" }.count == 15)
        }
    }
}
