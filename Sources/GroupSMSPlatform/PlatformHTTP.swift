/// One HTTP header as sent or signed.
public struct PlatformHTTPHeader: Sendable, Equatable {
    /// Header name as written.
    public var name: String
    /// Header value.
    public var value: String

    /// Creates a header.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request for the transport.
public struct PlatformHTTPRequest: Sendable {
    /// The absolute http(s) URL.
    public var url: String
    /// The method; the sending and report APIs only use POST.
    public var method: String
    /// Headers in the order they are sent.
    public var headers: [PlatformHTTPHeader]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a request.
    public init(url: String, method: String = "POST", headers: [PlatformHTTPHeader], body: [UInt8]) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// An HTTP answer: status and body.
public struct PlatformHTTPResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The body bytes (at most `PlatformTransportOptions.maxResponseBytes`).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Why a request got no HTTP answer.
public struct PlatformTransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        /// The host name could not be resolved.
        case dnsFailure
        /// No TCP connection could be made (refused, unreachable).
        case connectFailure
        /// The TLS handshake or certificate check failed.
        case tlsFailure
        /// The URL or protocol cannot be used.
        case invalidURL
        /// The connect or total timeout passed.
        case timeout
        /// The connection broke while sending or receiving.
        case connectionLost
        /// The server closed the connection without any answer.
        case emptyReply
        /// The answer was larger than the transport accepts.
        case responseTooLarge
        /// The waiting task was cancelled.
        case cancelled
        /// The transport was shut down.
        case shutDown
        /// libcurl could not set the transfer up.
        case setupFailure
        /// Anything else libcurl reported.
        case other
    }

    /// The kind of failure.
    public let reason: Reason
    /// libcurl's result code (0 when the failure did not come from libcurl).
    public let curlCode: Int
    /// libcurl's message for this transfer.
    public let message: String
    /// The URL of the request.
    public let url: String

    /// Creates a failure.
    public init(reason: Reason, curlCode: Int, message: String, url: String) {
        self.reason = reason
        self.curlCode = curlCode
        self.message = message
        self.url = url
    }

    public var description: String { "\(reason.rawValue) for \(url) (curl \(curlCode): \(message))" }
}

/// The result of one HTTP exchange, in the three classes the job runner acts on.
public enum PlatformHTTPExchange: Sendable, Equatable {
    /// The server answered with an HTTP status and body.
    case answered(PlatformHTTPResponse)
    /// The request provably did not reach the server (DNS, connect, TLS, nothing of the body sent):
    /// safe to send again.
    case notSent(PlatformTransportFailure)
    /// The failure came after the body started leaving (timeout, reset, empty reply):
    /// the server may have acted on it.
    case ambiguous(PlatformTransportFailure)
}

/// Transport settings.
public struct PlatformTransportOptions: Sendable, Equatable {
    /// Seconds allowed to establish a connection (TCP and TLS).
    public var connectTimeout: Double
    /// Seconds allowed for the whole exchange, connecting included.
    public var requestTimeout: Double
    /// Skip TLS certificate and host checks. For test endpoints only: the CLI must warn.
    public var insecure: Bool
    /// Most connections kept to one host; further requests queue for a free connection.
    public var maxConnectionsPerHost: Int
    /// Largest response body accepted.
    public var maxResponseBytes: Int
    /// Seconds an idle connection may be reused; older ones are closed instead.
    public var maxConnectionAge: Int

    /// The warning to print when `insecure` is on.
    public static let insecureWarning = "warning: TLS certificate checks are OFF (--insecure); use this only against test endpoints."

    /// Creates options; defaults suit the real platform.
    public init(connectTimeout: Double = 10, requestTimeout: Double = 30, insecure: Bool = false,
                maxConnectionsPerHost: Int = 8, maxResponseBytes: Int = 4 << 20, maxConnectionAge: Int = 60) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.insecure = insecure
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxResponseBytes = maxResponseBytes
        self.maxConnectionAge = maxConnectionAge
    }
}
