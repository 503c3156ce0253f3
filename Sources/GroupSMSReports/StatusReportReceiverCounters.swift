import Synchronization

/// What a `StatusReportReceiver` has seen since it started.
///
/// `received` counts reports in bodies that parsed (each then counts once as `applied`,
/// `unknown` or `duplicates`); the other request counts are whole requests.
public struct StatusReportReceiverCounters: Sendable, Hashable, Codable {
    /// Requests answered 200.
    public var acceptedRequests = 0
    /// Reports in the bodies answered 200.
    public var received = 0
    /// New reports applied to a number of a job here.
    public var applied = 0
    /// Reports already stored earlier (platform retries): ignored.
    public var duplicates = 0
    /// New reports whose smsMsgId no number here has: counted, logged and held by the store.
    public var unknown = 0
    /// Unconfirmed numbers confirmed because a report's `extend` named their chunk.
    public var confirmed = 0
    /// Numbers that became delivered.
    public var delivered = 0
    /// Numbers that became failed (or changed failure code).
    public var failed = 0
    /// Requests refused for their body: malformed (400) or over 1 MiB (413).
    public var rejected = 0
    /// Requests to any other path than the report path (404) or with another method (405).
    public var notFound = 0
    /// Requests answered 503 because the store could not take the reports.
    public var storeErrors = 0

    /// All counts zero.
    public init() {}
}

/// The receiver's counters behind a lock, shared by its request handlers.
final class StatusReportReceiverCounterBox: Sendable {
    private let value = Mutex(StatusReportReceiverCounters())

    var snapshot: StatusReportReceiverCounters { value.withLock { $0 } }

    /// Changes the counters and returns the new values.
    @discardableResult
    func update(_ change: (inout StatusReportReceiverCounters) -> Void) -> StatusReportReceiverCounters {
        value.withLock { counters in
            change(&counters)
            return counters
        }
    }
}
