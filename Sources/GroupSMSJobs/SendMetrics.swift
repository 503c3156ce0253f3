import CoreMetrics
import Foundation
import GroupSMSModel

/// What became of one send request, as `groupsms_requests_total{outcome}` counts it: the answer
/// policy's verdict in one word.
public enum RequestOutcome: String, Sendable, CaseIterable {
    /// The platform answered and the runner goes on (whatever each number's own outcome).
    case answered
    /// The platform answered with flow control: claims wait.
    case flowControl = "flow_control"
    /// The answer paused the job (account limit, a run of ambiguous requests, a stopped transport).
    case paused
    /// The platform refused the account or the request's content: the job fails.
    case refused
    /// The request provably never reached the platform; its numbers go back to the queue.
    case notSent = "not_sent"
    /// The request may have reached the platform; its numbers are unconfirmed.
    case unconfirmed
    /// The client refused to build the request.
    case invalid

    /// The outcome of `result` under `decision` (the answer policy's verdict on it).
    public init(_ result: ChunkSendResult, _ decision: AnswerDecision) {
        if case .invalid = result {
            self = .invalid
            return
        }
        switch (decision.recording, decision.instruction) {
        case (.notSent, .pause): self = .paused
        case (.notSent, _): self = .notSent
        case (.unconfirmed, .pause): self = .paused
        case (.unconfirmed, _): self = .unconfirmed
        case (.answered, .holdUntil): self = .flowControl
        case (.answered, .pause): self = .paused
        case (.answered, .fail): self = .refused
        case (.answered, _): self = .answered
        }
    }

    /// Whether the request's numbers reached, or may have reached, the platform.
    public var reachedPlatform: Bool {
        switch self {
        case .notSent, .invalid: false
        default: true
        }
    }
}

/// The runner's metrics (numbers sent, requests by outcome, request duration), recorded through
/// swift-metrics into the factory given: the daemon's Prometheus registry, or nothing.
public struct SendMetrics: Sendable {
    private let numbersSent: CoreMetrics.Counter
    private let requests: [RequestOutcome: CoreMetrics.Counter]
    private let duration: CoreMetrics.Timer

    /// Metrics made by `factory`; every outcome's series exists from the start, at zero.
    public init(factory: any MetricsFactory) {
        numbersSent = Counter(label: OperationsMetric.numbersSent.name, factory: factory)
        requests = Dictionary(uniqueKeysWithValues: RequestOutcome.allCases.map {
            ($0, Counter(label: OperationsMetric.requests.name, dimensions: [("outcome", $0.rawValue)], factory: factory))
        })
        duration = Timer(label: OperationsMetric.requestDuration.name, factory: factory)
    }

    /// Metrics that go nowhere (the default: a foreground `send` serves no `/metrics`).
    public static let disabled = SendMetrics(factory: NOOPMetricsHandler.instance)

    /// Counts one settled request of `numbers` numbers; `elapsed` is how long it took, when it left.
    func record(_ outcome: RequestOutcome, numbers: Int, elapsed: TimeInterval?) {
        requests[outcome]?.increment()
        if outcome.reachedPlatform { numbersSent.increment(by: numbers) }
        if let elapsed { duration.recordNanoseconds(Int64(max(0, elapsed) * 1e9)) }
    }
}
