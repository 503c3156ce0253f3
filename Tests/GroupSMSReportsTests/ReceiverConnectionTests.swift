import Foundation
import Synchronization
import GroupSMSHTTPServer
import GroupSMSTestSupport
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
@testable import GroupSMSReports

/// The receiver's connection limits over real loopback sockets: slow, idle and surplus clients
/// cannot hold it. Timeouts are short here so each test takes a few seconds at most.
@Suite struct ReceiverConnectionTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "receiver-connections")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    private func options(_ limits: HTTPServerLimits) -> StatusReportReceiverOptions {
        var options = StatusReportReceiverOptions()
        options.connections = limits
        return options
    }

    private static let slowHead = "POST /reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"

    /// Sends `slowHead`, then one byte a second until the server closes the connection; returns
    /// the body bytes sent, or nil when it was still open after `limit` bytes.
    private static func drip(_ connection: RawConnection, limit: Int, sent: ByteCount? = nil) async -> Int? {
        guard await connection.send(slowHead) else { return 0 }
        for count in 0..<limit {
            guard await connection.send("a") else { return count }
            sent?.set(count + 1)
            if await connection.read(within: 1) != .timedOut { return count + 1 }
        }
        return nil
    }

    @Test func aClientSendingOneByteASecondIsCutOffAfterTheBodyTimeout() async throws {
        let limits = HTTPServerLimits(idleTimeout: .seconds(10), headerTimeout: .seconds(10),
                                      bodyTimeout: .milliseconds(1500), shutdownGrace: .milliseconds(300))
        let http = try await ReceiverHarness.start(store: store, options: options(limits))
        let connection = try await RawConnection.open(port: http.receiver.port)
        let sent = await Self.drip(connection, limit: 15)
        let counters = http.receiver.counters()
        await http.stop()
        let bytes = try #require(sent, "the slow client was still connected after 15 s")
        #expect(bytes >= 1 && bytes <= 5, "cut off after about 1.5 s of body, \(bytes) bytes in")
        #expect(counters.connections.bodyTimeouts == 1 && counters.connections.headerTimeouts == 0)
        let after = http.receiver.counters()
        #expect(after.received == 0 && after.malformed == 0, "a cut-off body is never read as a report")
    }

    @Test func aSlowClientDoesNotHoldShutdownPastTheGrace() async throws {
        let limits = HTTPServerLimits(idleTimeout: .seconds(60), headerTimeout: .seconds(60), bodyTimeout: .seconds(60),
                                      shutdownGrace: .milliseconds(300))
        let http = try await ReceiverHarness.start(store: store, options: options(limits))
        let connection = try await RawConnection.open(port: http.receiver.port)
        let sent = ByteCount()
        let client = Task { await Self.drip(connection, limit: 30, sent: sent) }
        // A second byte a second later: by then the server has long read the head.
        try await waitUntil(seconds: 10, "the slow request is being read") { sent.value >= 2 }
        let started = ContinuousClock.now
        await http.stop()
        let took = ContinuousClock.now - started
        let counters = http.receiver.counters()
        let bytes = await client.value
        #expect(counters.connections.closedAtShutdown == 1)
        #expect(took < .seconds(20), "shutdown took \(took) with a 60 s body timeout and a 300 ms grace")
        #expect(bytes != nil, "the server closed the slow connection")
        #expect(counters.received == 0 && counters.malformed == 0)
    }

    @Test func silentConnectionsAndUnfinishedHeadsAreClosed() async throws {
        // The idle limit is the longer one: the unfinished head must reach the server before
        // the idle deadline passes, or its connection counts as idle (a loaded machine took
        // more than 400 ms once).
        let limits = HTTPServerLimits(idleTimeout: .seconds(3), headerTimeout: .milliseconds(400),
                                      bodyTimeout: .seconds(10), shutdownGrace: .milliseconds(300))
        let http = try await ReceiverHarness.start(store: store, options: options(limits))
        let silent = try await RawConnection.open(port: http.receiver.port)
        let unfinished = try await RawConnection.open(port: http.receiver.port)
        #expect(await unfinished.send("POST /reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"))
        let silentAnswer = await silent.readUntilClosed(within: 10)
        let unfinishedAnswer = await unfinished.readUntilClosed(within: 10)
        let counters = http.receiver.counters()
        await http.stop()
        #expect(silentAnswer == [] && unfinishedAnswer == [], "both closed without an answer")
        #expect(counters.connections.idleTimeouts == 1 && counters.connections.headerTimeouts == 1)
    }

    @Test func connectionsBeyondTheCapAre503WhileAPostInAFreeSlotSucceeds() async throws {
        let numbers = StoreFixtures.numbers(2)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let limits = HTTPServerLimits(idleTimeout: .seconds(60), headerTimeout: .seconds(60), bodyTimeout: .seconds(60),
                                      maximumConnections: 4, shutdownGrace: .milliseconds(300))
        let http = try await ReceiverHarness.start(store: store, options: options(limits))
        // A post as the platform makes it: its own connection, `Connection: close`.
        func post(_ number: String) async throws -> String {
            let body = ReportFixtures.formBody(["smsMsgId": ids[number]!, "status": "DELIVRD"])
            let connection = try await RawConnection.open(port: http.receiver.port)
            _ = await connection.send("POST /reports HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                      + "Content-Type: application/x-www-form-urlencoded\r\n"
                                      + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return String(decoding: await connection.readUntilClosed(within: 10) ?? [], as: UTF8.self)
        }
        var idle: [RawConnection] = []
        for _ in 0..<3 { idle.append(try await RawConnection.open(port: http.receiver.port)) }
        try await waitUntil("three idle connections are open") { http.receiver.counters().connections.openConnections == 3 }
        let answer = try await post(numbers[0])
        #expect(answer.hasPrefix("HTTP/1.1 200") && answer.hasSuffix(StatusReportParser.successAnswer), "the fourth slot is free")
        try await waitUntil("the post's connection is closed") { http.receiver.counters().connections.openConnections == 3 }
        idle.append(try await RawConnection.open(port: http.receiver.port))
        try await waitUntil("four idle connections are open") { http.receiver.counters().connections.openConnections == 4 }
        for _ in 0..<6 {
            let surplus = try await RawConnection.open(port: http.receiver.port)
            let answer = await surplus.readUntilClosed(within: 10).map { String(decoding: $0, as: UTF8.self) }
            #expect(answer?.hasPrefix("HTTP/1.1 503") == true, "\(answer ?? "still open")")
            #expect(answer?.contains("too many open connections") == true)
        }
        idle.removeLast()
        try await waitUntil("a slot is free again") { http.receiver.counters().connections.openConnections <= 3 }
        #expect(try await post(numbers[1]).hasPrefix("HTTP/1.1 200"))
        let counters = http.receiver.counters()
        await http.stop()
        #expect(counters.connections.refusedOverCap == 6 && counters.applied == 2)
        #expect(try await store.summary(of: job.id).count(.delivered) == 2)
        _ = idle
    }
}

/// A count one task writes and another polls.
final class ByteCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func set(_ value: Int) { count.withLock { $0 = value } }
}
