import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSSimulator

/// Shared set-up for Platform tests: simulators on loopback, clients pointed at them, numbers.
enum PlatformTestKit {
    /// Runs `body` against a fresh simulator and always shuts it down.
    static func withSimulator<T>(clock: any WallClock = SystemWallClock(),
                                 _ configure: (inout SimulatorConfiguration) -> Void = { _ in },
                                 _ body: (PlatformSimulator) async throws -> T) async throws -> T {
        var configuration = SimulatorConfiguration()
        configuration.reports.enabled = false
        configure(&configuration)
        let simulator = try await PlatformSimulator.start(configuration, clock: clock)
        do {
            let result = try await body(simulator)
            await simulator.shutdown()
            return result
        } catch {
            await simulator.shutdown()
            throw error
        }
    }

    /// A client for `endpoint` with short test timeouts.
    static func client(_ endpoint: String, scheme: PlatformAuthScheme = .akSk,
                       credentials: PlatformCredentials = .simulatorDemo, clock: any WallClock = SystemWallClock(),
                       requestTimeout: Double = 3) throws -> PlatformClient {
        try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: endpoint, credentials: credentials, authScheme: scheme,
            transport: PlatformTransportOptions(connectTimeout: 3, requestTimeout: requestTimeout)), clock: clock)
    }

    /// `count` distinct Chinese mainland mobile numbers in E.164, starting at `start`.
    static func numbers(_ count: Int, start: Int = 0) -> [String] {
        (start..<start + count).map { "+86131" + String(format: "%08d", $0) }
    }

    /// A batchSendSms request for `numbers` with the test template.
    static func request(_ numbers: [String], extend: String? = nil, callback: String? = nil,
                        paras: [String] = ["520520"]) -> PlatformBatchSendRequest {
        PlatformBatchSendRequest(from: "8824000000001", to: numbers, templateId: "tmpl0001", templateParas: paras,
                                 statusCallback: callback, extend: extend)
    }

    /// The answer of a result that must be answered.
    static func answer(_ result: PlatformSendResult) throws -> PlatformResponse {
        guard case .answered(let response) = result else { throw PlatformTestFailure("expected an answer, got \(result)") }
        return response
    }

    /// Posts a raw body with hand-made headers (for requests the client would refuse to build).
    static func rawPost(_ simulator: PlatformSimulator, path: String = "/sms/batchSendSms/v1",
                        headers: [PlatformHTTPHeader], body: [UInt8]) async throws -> PlatformResponse {
        let transport = try PlatformHTTPTransport(options: PlatformTransportOptions(connectTimeout: 1, requestTimeout: 3))
        defer { transport.shutdown() }
        let exchange = await transport.perform(PlatformHTTPRequest(url: simulator.endpoint + path, headers: headers, body: body))
        guard case .answered(let response) = exchange else { throw PlatformTestFailure("no answer: \(exchange)") }
        return PlatformResponse(httpStatus: response.status, body: response.body)
    }

    /// Polls `condition` (up to 10 s of real time) for work the simulator does on its own tasks.
    static func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        throw PlatformTestFailure("timed out waiting until \(what)")
    }

    /// Content-Type and Host plus valid AK/SK headers for `body` at `path`, signed now.
    static func signedHeaders(_ simulator: PlatformSimulator, path: String = "/sms/batchSendSms/v1",
                              contentType: String = "application/x-www-form-urlencoded", body: [UInt8],
                              credentials: PlatformCredentials = .simulatorDemo, date: Date = Date()) -> [PlatformHTTPHeader] {
        let base = [PlatformHTTPHeader("Content-Type", contentType), PlatformHTTPHeader("Host", "\(simulator.host):\(simulator.port)")]
        return base + PlatformAKSK.headers(credentials: credentials, method: "POST", path: path, headers: base, body: body, date: date)
    }
}

/// A test expectation that failed outside `#expect`.
struct PlatformTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
