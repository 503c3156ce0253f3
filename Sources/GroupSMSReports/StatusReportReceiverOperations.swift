import CoreMetrics
import Foundation
import GroupSMSHTTPServer
import GroupSMSModel
import Logging

/// Counts received status reports by the class of their status
/// (`groupsms_reports_received_total{status_class}`), through swift-metrics.
public struct ReportMetrics: Sendable {
    private let factory: any MetricsFactory
    private let classifier: any ReportStatusClassifier
    private let standard: [String: CoreMetrics.Counter]

    /// The classes every scrape shows, at zero until a report of theirs comes.
    public static let statusClasses = ["delivered", "interim", FailureClass.optedOut.rawValue, FailureClass.retryable.rawValue]

    /// Metrics made by `factory`, classing statuses with `classifier` (SPEC §4's by default).
    public init(factory: any MetricsFactory, classifier: any ReportStatusClassifier = StandardReportStatusClassifier()) {
        self.factory = factory
        self.classifier = classifier
        standard = Dictionary(uniqueKeysWithValues: Self.statusClasses.map { ($0, Self.counter($0, factory)) })
    }

    /// Metrics that go nowhere.
    public static let disabled = ReportMetrics(factory: NOOPMetricsHandler.instance)

    /// The class `status` is counted under.
    public func statusClass(of status: String) -> String {
        switch classifier.verdict(for: status) {
        case .delivered: "delivered"
        case .interim: "interim"
        case .failed(let failure): failure.rawValue
        }
    }

    /// Counts `reports`, each under its status's class.
    func record(_ reports: [StatusReport]) {
        for report in reports {
            let name = statusClass(of: report.status)
            (standard[name] ?? Self.counter(name, factory)).increment()
        }
    }

    private static func counter(_ statusClass: String, _ factory: any MetricsFactory) -> CoreMetrics.Counter {
        Counter(label: OperationsMetric.reportsReceived.name, dimensions: [("status_class", statusClass)], factory: factory)
    }
}

/// What a daemon adds to its status-report receiver: report metrics, structured event lines,
/// and the operations routes (`/metrics`, `/livez`, `/readyz`) served on the same port.
public struct StatusReportReceiverOperations: Sendable {
    /// Where received reports are counted.
    public var metrics: ReportMetrics
    /// Where one debug line per received report goes (smsMsgId, status, job and chunk); nil for none.
    public var events: Logger?
    /// Paths answered before the report path; nil for none.
    public var routes: (any HTTPSideRoutes)?

    /// Operations of these parts (by default none).
    public init(metrics: ReportMetrics = .disabled, events: Logger? = nil, routes: (any HTTPSideRoutes)? = nil) {
        self.metrics = metrics
        self.events = events
        self.routes = routes
    }

    /// Counts and logs the well-formed reports of one accepted request.
    func received(_ reports: [StatusReport]) {
        metrics.record(reports)
        guard let events, events.logLevel <= .debug else { return }
        for report in reports {
            var metadata: Logger.Metadata = [
                "event": "report.received", "smsMsgId": "\(report.smsMsgId)", "status": "\(report.status)",
                "statusClass": "\(metrics.statusClass(of: report.status))",
            ]
            if let extend = report.extend, let tag = ChunkTag.parse(extend) {
                metadata["job"] = "\(tag.job)"
                metadata["chunkSeq"] = "\(tag.sequence)"
            }
            events.debug("status report received", metadata: metadata)
        }
    }
}
