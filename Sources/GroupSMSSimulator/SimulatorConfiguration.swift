/// The account condition the simulated platform reports after a request authenticates.
public enum SimulatorAccountState: String, Sendable, CaseIterable {
    /// Everything works.
    case active
    /// E000103: the app key is disabled.
    case appKeyDisabled = "app-key-disabled"
    /// E000106: the app key may not call the sending API.
    case apiNotAllowed = "api-not-allowed"
    /// E000109: the user is deactivated.
    case userDeactivated = "user-deactivated"
    /// E000111: no user matches the key.
    case unknownUser = "unknown-user"
    /// E000112: the account is frozen.
    case frozen
    /// E000620 (HTTP 403): the caller's IP is not whitelisted.
    case ipNotWhitelisted = "ip-not-whitelisted"

    /// The API code and HTTP status answered in this state; nil when active.
    var failure: (code: String, httpStatus: Int)? {
        switch self {
        case .active: return nil
        case .appKeyDisabled: return ("E000103", 401)
        case .apiNotAllowed: return ("E000106", 401)
        case .userDeactivated: return ("E000109", 401)
        case .unknownUser: return ("E000111", 401)
        case .frozen: return ("E000112", 401)
        case .ipNotWhitelisted: return ("E000620", 403)
        }
    }
}

/// Everything the simulated platform can be told.
///
/// Faults are drawn per authenticated, well-formed request with the seeded generator, in this
/// order: server error, drop, stall, accept-then-502, accept-then-gateway-body, unknown code,
/// whole-request status. A fraction of 1 hits every request; `faultFirstRequests` limits the
/// faults to the first N requests, so a test can script "N failures, then a healthy platform".
public struct SimulatorConfiguration: Sendable {
    /// Address to listen on (loopback by default).
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 picks a free one (read it from `PlatformSimulator.port`).
    public var port: Int = 0
    /// The one application the simulator knows.
    public var credentials: SimulatorCredentials = .demo
    /// The account condition reported after authentication.
    public var accountState: SimulatorAccountState = .active
    /// Most numbers accepted per second (sliding 1 s window) before E200015; nil = no limit.
    public var maxRate: Int?
    /// Most numbers accepted per UTC day before E000623; nil = no limit (the platform's default is 500).
    public var dailyLimit: Int?
    /// Most numbers accepted per UTC month before E000623; nil = no limit (the platform's default is 10,000).
    public var monthlyLimit: Int?
    /// Enforce the per-number limits (15/min, 50/24 h, same content 2/59 s and 5/59 min).
    public var enforceNumberLimits: Bool = true
    /// Approved templates: when set, each request's `templateId` must be registered (else
    /// E200030 per number) and its `templateParas` must fit (else E200028 per number, E000503
    /// for a brace); nil accepts any template, unchecked.
    public var templates: SimulatedTemplateRegistry?
    /// Answer delay range in seconds, drawn uniformly per request (jitter = the range's width).
    public var latency: ClosedRange<Double> = 0...0
    /// Fraction (0-1) of authenticated requests answered with HTTP 500 and not processed.
    public var serverErrorFraction: Double = 0
    /// Fraction (0-1) of requests processed and then dropped (connection closed, no answer).
    public var dropFraction: Double = 0
    /// Fraction (0-1) of requests processed and answered only after `stallSeconds`.
    public var stallFraction: Double = 0
    /// How long a stalled request waits before its answer.
    public var stallSeconds: Double = 30
    /// Fraction (0-1) of requests processed (numbers accepted, reports scheduled) and then
    /// answered HTTP 502 with a gateway's HTML page.
    public var acceptThen502Fraction: Double = 0
    /// Fraction (0-1) of requests processed and then answered HTTP 200 with the API gateway's
    /// `{"error_code":"APIGW.0308","error_msg":"The request is throttled"}` (no `code`).
    public var acceptThenGatewayBodyFraction: Double = 0
    /// Fraction (0-1) of requests processed and then answered HTTP 200 with `unknownCode`.
    public var unknownCodeFraction: Double = 0
    /// The undocumented result code `unknownCodeFraction` answers with.
    public var unknownCode: String = "E999999"
    /// A per-number status (e.g. E200028, E200029, E200030, E200031, E200033) given to every
    /// number of a request, with code E000510 and nothing processed; nil = never.
    public var wholeRequestStatus: String?
    /// Fraction (0-1) of requests that get `wholeRequestStatus` (when it is set).
    public var wholeRequestFraction: Double = 1
    /// When set, faults hit only the first N authenticated, well-formed requests.
    public var faultFirstRequests: Int?
    /// Seed of every random draw (faults, latency, report mix).
    public var seed: UInt64 = 1
    /// Status report behaviour.
    public var reports = SimulatorReportConfiguration()
    /// A file that gets one JSON line per request; nil = no log file.
    public var logPath: String?
    /// Keep every request's record in memory for `PlatformSimulator.records()` (off for long benchmarks).
    public var keepRecords: Bool = true
    /// Largest request body accepted.
    public var maxBodyBytes: Int = 1 << 20

    /// Creates the default configuration: loopback, free port, demo credentials, no faults.
    public init() {}
}
