/// The metrics `GET /metrics` serves (SPEC §9): one place for their names, kinds and help text,
/// shared by the runner, the receiver and the operations endpoints that record and render them.
///
/// Counters end in `_total`, durations are in seconds.
public struct OperationsMetric: Sendable, Hashable {
    /// The Prometheus kind of a metric.
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// The metric's name.
    public var name: String
    /// Its kind.
    public var kind: Kind
    /// The label it is split by, if any.
    public var label: String?
    /// The `# HELP` text.
    public var help: String

    /// Numbers in requests that reached (or may have reached) the platform.
    public static let numbersSent = OperationsMetric(
        name: "groupsms_numbers_sent_total", kind: .counter, label: nil,
        help: "Numbers in send requests that reached or may have reached the platform.")
    /// Send requests by what became of them (`RequestOutcome`).
    public static let requests = OperationsMetric(
        name: "groupsms_requests_total", kind: .counter, label: "outcome",
        help: "Send requests by outcome: answered, flow_control, paused, refused, not_sent, unconfirmed, invalid.")
    /// Well-formed status reports received, by status class.
    public static let reportsReceived = OperationsMetric(
        name: "groupsms_reports_received_total", kind: .counter, label: "status_class",
        help: "Status reports received, by class of their status: delivered, interim, opted-out, retryable.")
    /// Numbers whose fate is unknown, over every job of the store.
    public static let unconfirmedNumbers = OperationsMetric(
        name: "groupsms_unconfirmed_numbers", kind: .gauge, label: nil,
        help: "Numbers whose send outcome is unknown (unconfirmed) in the store, over every job.")
    /// Share of the account's pace used lately.
    public static let paceUtilisation = OperationsMetric(
        name: "groupsms_pace_utilisation_ratio", kind: .gauge, label: nil,
        help: "Numbers started in the last 10 s over what the account's pace allows in 10 s (busiest account).")
    /// How long send requests took.
    public static let requestDuration = OperationsMetric(
        name: "groupsms_request_duration_seconds", kind: .histogram, label: nil,
        help: "Time from a send request leaving to its answer or failure, in seconds.")
    /// Jobs in the store by state.
    public static let jobs = OperationsMetric(
        name: "groupsms_jobs", kind: .gauge, label: "state",
        help: "Jobs in the store by state.")
    /// Whether the store answered the last scrape's queries.
    public static let storeUp = OperationsMetric(
        name: "groupsms_store_up", kind: .gauge, label: nil,
        help: "1 when the store answered this scrape's queries, 0 when the store gauges are stale.")

    /// Every metric, in the order `/metrics` lists them.
    public static let all: [OperationsMetric] = [
        numbersSent, requests, reportsReceived, unconfirmedNumbers, paceUtilisation, requestDuration, jobs, storeUp,
    ]

    /// The metric named `name`, if it is one of these.
    public static func named(_ name: String) -> OperationsMetric? {
        all.first { $0.name == name }
    }

    /// Upper bounds of the request duration histogram's buckets, in seconds.
    public static let requestDurationBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
}
