import GroupSMSHTTPServer
import GroupSMSStore

/// The receiver's limits and waits; the defaults suit the daemon and `send --listen`.
public struct StatusReportReceiverOptions: Sendable, Hashable {
    /// Idle, header and body timeouts, the open-connection cap and the shutdown grace.
    public var connections = HTTPServerLimits()
    /// How long a request waits for the store to begin taking its reports (group commit, write
    /// lock) before they are journaled instead and the request is answered. Default 2 s.
    public var storeWait: Duration = .seconds(2)
    /// After a failed attempt to apply the journal, the next is this long later, doubling each
    /// time up to `replayRetryLimit`. Defaults 1 s and 30 s.
    public var replayRetry: Duration = .seconds(1)
    public var replayRetryLimit: Duration = .seconds(30)
    /// The journal file stops taking reports at this size (default 256 MiB, about a million
    /// reports): a flood while the store is down cannot fill the disk.
    public var journalLimitBytes = 256 << 20
    /// Reports for unknown message ids held by the store (default 10,000, 72 h; oldest dropped).
    public var heldReports = HeldReportLimit.standard
    /// How much of the malformed entries is kept in the data dir.
    public var malformed = MalformedReportLimits()

    /// The defaults.
    public init() {}
}

/// How much the receiver keeps of malformed entries (`<data-dir>/reports-malformed/`).
public struct MalformedReportLimits: Sendable, Hashable {
    /// One day's file stops growing at this size (default 16 MiB); later entries are only counted.
    public var fileLimitBytes = 16 << 20
    /// An entry's raw text is cut to this many bytes (default 4 KiB).
    public var rawLimitBytes = 4096
    /// Day files older than this many days are removed (default 30).
    public var keepDays = 30

    /// The defaults.
    public init() {}
}
