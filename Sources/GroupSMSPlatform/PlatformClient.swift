import Foundation
import GroupSMSModel

/// Settings of a `PlatformClient`.
public struct PlatformClientConfiguration: Sendable {
    /// The application access address, e.g. `https://smsapi.example.com:443` (no path needed).
    public var endpoint: String
    /// App key and secret.
    public var credentials: PlatformCredentials
    /// Which authentication scheme signs each request.
    public var authScheme: PlatformAuthScheme
    /// Timeouts, TLS and connection settings.
    public var transport: PlatformTransportOptions

    /// Creates a configuration (AK/SK by default, as the vendor recommends).
    public init(endpoint: String, credentials: PlatformCredentials, authScheme: PlatformAuthScheme = .akSk,
                transport: PlatformTransportOptions = PlatformTransportOptions()) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.authScheme = authScheme
        self.transport = transport
    }
}

/// The result of one send request, in the classes the job runner acts on.
public enum PlatformSendResult: Sendable, Equatable {
    /// The platform answered; `PlatformResponse.outcome` says what to do.
    case answered(PlatformResponse)
    /// The request provably never reached the platform (DNS, connect, TLS): safe to send again.
    case notSent(PlatformTransportFailure)
    /// The request may have reached the platform (timeout, reset or empty reply after the body
    /// started leaving): its numbers are unconfirmed.
    case ambiguous(PlatformTransportFailure)
}

/// The Message & SMS sending client: validates, signs and sends `batchSendSms` and
/// `batchSendDiffSms` requests over one libcurl multi transport; many sends may be in flight.
public final class PlatformClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: PlatformClientConfiguration
    private let transport: PlatformHTTPTransport
    private let clock: any WallClock
    private let makeNonce: @Sendable () -> String
    private let baseURL: String
    private let basePath: String
    private let hostHeader: String

    /// Creates a client. `clock` supplies signing times and `makeNonce` X-WSSE nonces (both
    /// injectable so signed requests can be checked against fixed vectors).
    public init(configuration: PlatformClientConfiguration, clock: any WallClock = SystemWallClock(),
                makeNonce: @escaping @Sendable () -> String = PlatformWSSE.randomNonce) throws(PlatformError) {
        let endpoint = configuration.endpoint
        guard let components = URLComponents(string: endpoint),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else {
            throw .invalidEndpoint(endpoint)
        }
        let hostText = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let authority = components.port.map { "\(hostText):\($0)" } ?? hostText
        // Accept the access address with or without an API path after it.
        var path = components.path
        for apiPath in [PlatformSendRequest.batchPath, PlatformSendRequest.diffPath] where path.hasSuffix(apiPath) {
            path.removeLast(apiPath.count)
        }
        while path.hasSuffix("/") { path.removeLast() }
        self.configuration = configuration
        basePath = path
        self.clock = clock
        self.makeNonce = makeNonce
        baseURL = "\(scheme)://\(authority)\(path)"
        hostHeader = authority
        transport = try PlatformHTTPTransport(options: configuration.transport)
    }

    /// Validates, signs and sends `request`. Throws `PlatformError.invalidRequest` (before
    /// anything is sent) when the request breaks a platform rule; every attempted request
    /// returns a result instead of throwing.
    public func send(_ request: PlatformSendRequest) async throws(PlatformError) -> PlatformSendResult {
        let http = try httpRequest(for: request)
        switch await transport.perform(http) {
        case .answered(let answer):
            return .answered(PlatformResponse(httpStatus: answer.status, body: answer.body))
        case .notSent(let failure):
            return .notSent(failure)
        case .ambiguous(let failure):
            return .ambiguous(failure)
        }
    }

    /// Opens the connection to the endpoint with one request that sends no message (a GET of
    /// the base URL), so the first paced request does not pay for TCP and TLS set-up and
    /// libcurl's first use: a request that leaves late could share a second of the platform's
    /// log with one paced after it. Its answer, or failure, means nothing and is ignored.
    public func warmUp() async {
        let request = PlatformHTTPRequest(url: baseURL + "/", method: "GET",
                                          headers: [PlatformHTTPHeader("Host", hostHeader)], body: [])
        _ = await transport.perform(request)
    }

    /// Sends one `batchSendSms` request.
    public func send(_ request: PlatformBatchSendRequest) async throws(PlatformError) -> PlatformSendResult {
        try await send(.batch(request))
    }

    /// Sends one `batchSendDiffSms` request.
    public func send(_ request: PlatformDiffSendRequest) async throws(PlatformError) -> PlatformSendResult {
        try await send(.diff(request))
    }

    /// The validated, signed HTTP request the client would send now.
    public func httpRequest(for request: PlatformSendRequest) throws(PlatformError) -> PlatformHTTPRequest {
        try request.validate()
        let body = request.body()
        var headers = [PlatformHTTPHeader("Content-Type", request.contentType),
                       PlatformHTTPHeader("Host", hostHeader),
                       PlatformHTTPHeader("Accept", "application/json")]
        let now = clock.now()
        switch configuration.authScheme {
        case .wsse:
            headers += PlatformWSSE.headers(credentials: configuration.credentials, nonce: makeNonce(), created: now)
        case .akSk:
            headers += PlatformAKSK.headers(credentials: configuration.credentials, method: "POST", path: basePath + request.path,
                                            headers: headers, body: body, date: now)
        }
        return PlatformHTTPRequest(url: baseURL + request.path, headers: headers, body: body)
    }

    /// Stops the transport; sends still running end as notSent/ambiguous (`shutDown`).
    public func shutdown() {
        transport.shutdown()
    }
}
