import Foundation
import Synchronization
import GroupSMSTestSupport
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSStore
import GroupSMSReports
import Testing

/// A store in a fresh folder with a receiver on loopback, and a curl-backed client to post to it.
struct ReceiverHarness {
    let store: JobStore
    let receiver: StatusReportReceiver
    let transport: PlatformHTTPTransport
    let logLines: ReceiverLogLines

    /// Starts a receiver for `store` (ephemeral port), collecting its log lines.
    static func start(store: JobStore, pathToken: String? = nil,
                      options: StatusReportReceiverOptions = StatusReportReceiverOptions()) async throws -> ReceiverHarness {
        let lines = ReceiverLogLines()
        let receiver = try await StatusReportReceiver.start(store: store, host: "127.0.0.1", port: 0, pathToken: pathToken,
                                                            options: options, log: { lines.append($0) })
        let transport = try PlatformHTTPTransport(options: PlatformTransportOptions(connectTimeout: 2, requestTimeout: 10))
        return ReceiverHarness(store: store, receiver: receiver, transport: transport, logLines: lines)
    }

    func stop() async {
        transport.shutdown()
        await receiver.shutdown()
    }

    /// POSTs `body` to `path` (default: the callback URL) and returns status and body text.
    func post(_ body: [UInt8], contentType: String?, url: String? = nil, method: String = "POST",
              headers extra: [PlatformHTTPHeader] = []) async throws -> (status: Int, body: String) {
        let headers = (contentType.map { [PlatformHTTPHeader("Content-Type", $0)] } ?? []) + extra
        let exchange = await transport.perform(PlatformHTTPRequest(url: url ?? receiver.callbackURL, method: method,
                                                                   headers: headers, body: body))
        guard case .answered(let response) = exchange else {
            throw ReceiverTestFailure("no answer from the receiver: \(exchange)")
        }
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// Posts one single report as a form.
    func postForm(_ fields: KeyValuePairs<String, String>) async throws -> (status: Int, body: String) {
        try await post(Array(ReportFixtures.formBody(fields).utf8), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a batch report.
    func postBatch(_ reports: [StatusReport]) async throws -> (status: Int, body: String) {
        try await post(Array(ReportFixtures.batchBody(reports).utf8), contentType: "application/json")
    }
}

/// Log lines a receiver wrote, collected for assertions.
final class ReceiverLogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct ReceiverTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits (really) until `condition` holds, polling every 10 ms, failing after `seconds`.
/// Used only where another process-like actor (the simulator's reporter) works on its own.
func waitUntil(seconds: Double = 10, _ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw ReceiverTestFailure("timed out waiting until \(what)") }
        try await Task.sleep(nanoseconds: 10_000_000)
    }
}
