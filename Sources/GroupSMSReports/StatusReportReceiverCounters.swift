import GroupSMSHTTPServer
import GroupSMSModel
import Synchronization

/// What a `StatusReportReceiver` has seen since it started.
///
/// `received` counts the well-formed reports of the requests answered 200; each is then applied
/// at once or `journaled` (and counted in `replayed` once applied from the journal), and every
/// applied one counts once as `applied`, `unknown` or `duplicates`. `malformed` counts entries,
/// the other request counts whole requests.
public struct StatusReportReceiverCounters: Sendable, Hashable, Codable {
    /// Requests answered 200.
    public var acceptedRequests = 0
    /// Well-formed reports in the requests answered 200.
    public var received = 0
    /// Entries that were not well-formed reports (or bodies that were none): counted, kept raw.
    public var malformed = 0
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
    /// Reports written to the journal because the store could not take them at once.
    public var journaled = 0
    /// Journaled reports applied since (also counted in `applied`, `unknown` or `duplicates`).
    public var replayed = 0
    /// Requests whose body could not be read: over 1 MiB (413) or cut off before its end.
    public var rejected = 0
    /// Requests to any other path than the report path (404) or with another method (405).
    public var notFound = 0
    /// Requests whose reports the store could not take at once (they were journaled).
    public var storeErrors = 0
    /// Reports neither the store nor the journal could take (answered 503; logged).
    public var lost = 0
    /// What the connection limits did (timeouts, connections refused over the cap).
    public var connections = HTTPServerStatistics()

    /// All counts zero.
    public init() {}

    mutating func addApplied(_ summary: StatusReportBatchSummary) {
        applied += summary.applied
        duplicates += summary.duplicates
        unknown += summary.unknown
        confirmed += summary.confirmed
        delivered += summary.delivered
        failed += summary.failed
    }

    mutating func addReplayed(_ summary: StatusReportBatchSummary) {
        replayed += summary.received
        addApplied(summary)
    }
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
