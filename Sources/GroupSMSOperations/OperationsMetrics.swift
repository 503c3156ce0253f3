import CoreMetrics
import Foundation
import GroupSMSJobs
import GroupSMSModel
import GroupSMSReports
import GroupSMSStore
import Prometheus

/// One process's metrics: the registry the runner and the receiver record into, and the store
/// gauges set at each scrape. `render` gives the Prometheus text `GET /metrics` serves.
public final class OperationsMetrics: Sendable {
    /// The metrics factory to hand the runner (`SendMetrics`) and the receiver (`ReportMetrics`).
    public let factory: OperationsMetricsFactory
    /// The runner's metrics, recorded into this registry.
    public let send: SendMetrics
    /// The receiver's metrics, recorded into this registry.
    public let reports: ReportMetrics
    /// The account pace the utilisation gauge is measured against (numbers per `paceWindow`).
    public let paceRate: Int
    /// The pace window, in seconds.
    public let paceWindow: TimeInterval
    /// How far back the utilisation gauge looks.
    public static let paceSpan: TimeInterval = 10

    private let unconfirmed: CoreMetrics.Gauge
    private let pace: CoreMetrics.Gauge
    private let jobs: [JobState: CoreMetrics.Gauge]
    private let storeUp: CoreMetrics.Gauge

    /// A fresh registry; the utilisation gauge compares with `paceRate` numbers per `paceWindow` s.
    public init(paceRate: Int = JobSettings.maximumRate, paceWindow: TimeInterval = PaceBudget.platformWindow,
                classifier: any ReportStatusClassifier = StandardReportStatusClassifier()) {
        let factory = OperationsMetricsFactory(registry: PrometheusCollectorRegistry())
        self.factory = factory
        self.paceRate = paceRate
        self.paceWindow = paceWindow
        send = SendMetrics(factory: factory)
        reports = ReportMetrics(factory: factory, classifier: classifier)
        unconfirmed = Gauge(label: OperationsMetric.unconfirmedNumbers.name, factory: factory)
        pace = Gauge(label: OperationsMetric.paceUtilisation.name, factory: factory)
        jobs = Dictionary(uniqueKeysWithValues: JobState.allCases.map {
            ($0, Gauge(label: OperationsMetric.jobs.name, dimensions: [("state", $0.rawValue)], factory: factory))
        })
        storeUp = Gauge(label: OperationsMetric.storeUp.name, factory: factory)
    }

    /// Sets the store gauges from `snapshot`; nil (the store did not answer) keeps their last
    /// values and sets `groupsms_store_up` to 0.
    public func update(_ snapshot: StoreOperationsSnapshot?) {
        guard let snapshot else {
            storeUp.record(0)
            return
        }
        storeUp.record(1)
        unconfirmed.record(snapshot.unconfirmedNumbers)
        for (state, gauge) in jobs { gauge.record(snapshot.jobs[state] ?? 0) }
        pace.record(utilisation(snapshot))
    }

    /// The busiest account's numbers in the last `paceSpan` over what its pace allows then.
    public func utilisation(_ snapshot: StoreOperationsSnapshot) -> Double {
        let capacity = Double(paceRate) * Self.paceSpan / paceWindow
        guard capacity > 0, let busiest = snapshot.paceNumbers.values.max() else { return 0 }
        return Double(busiest) / capacity
    }

    /// Every metric in the Prometheus text format (version 0.0.4).
    public func render() -> String {
        factory.registry.emitToString()
    }
}
