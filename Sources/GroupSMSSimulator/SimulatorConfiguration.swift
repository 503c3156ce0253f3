import GroupSMSPlatform
import GroupSMSReports

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

/// How status reports are pushed to a request's `statusCallback`.
public enum SimulatorReportFormat: String, Sendable, CaseIterable {
    /// One form-encoded POST per report (Status Report Receiving API).
    case single
    /// JSON `{"statusReportList":[...]}` with up to `batchSize` reports (batch report API).
    case batch
}

/// Status report behaviour of the simulated platform.
public struct SimulatorReportConfiguration: Sendable {
    /// Whether reports are pushed at all (requests without `statusCallback` never get any).
    public var enabled: Bool = true
    /// Single form posts or batch JSON.
    public var format: SimulatorReportFormat = .single
    /// Seconds between accepting a number and pushing its report (on the simulator's clock).
    public var delay: Double = 1
    /// Reports per batch post (1-50).
    public var batchSize: Int = StatusReportParser.maximumBatchReports
    /// Status by number suffix, e.g. `["13": "UNDELIV", "99": "BLACK"]`; the longest matching suffix wins.
    public var statusBySuffix: [String: String] = [:]
    /// Fraction (0-1) of the other numbers that get a failure from `failureStatuses`, drawn with the seed.
    public var failureFraction: Double = 0
    /// The failure statuses drawn for `failureFraction`.
    public var failureStatuses: [String] = ["UNDELIV"]
    /// Seconds before a post that did not get HTTP 200 is tried again.
    public var retryDelay: Double = 1
    /// Attempts per post, the first included.
    public var maxAttempts: Int = 3

    /// Creates the default: single reports after 1 s, every number DELIVRD, 3 attempts.
    public init() {}
}

/// Everything the simulated platform can be told.
public struct SimulatorConfiguration: Sendable {
    /// Address to listen on (loopback by default).
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 picks a free one (read it from `PlatformSimulator.port`).
    public var port: Int = 0
    /// The one application the simulator knows.
    public var credentials: PlatformCredentials = .simulatorDemo
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

extension PlatformCredentials {
    /// Test-only demo credentials of the simulated platform (used by `send --simulate`).
    /// They are not secret and work nowhere else.
    public static let simulatorDemo = PlatformCredentials(appKey: "groupsmsDemoAppKey0001",
                                                          appSecret: "groupsms-demo-secret-simulator-only")
}
