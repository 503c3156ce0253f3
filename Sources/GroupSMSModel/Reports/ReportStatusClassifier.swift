/// What one status value means for the number it is about.
public enum ReportStatusVerdict: Sendable, Hashable {
    /// The part was delivered (DELIVRD).
    case delivered
    /// Not a final status (ACCEPTD, "temporary status"); the number keeps waiting for its report.
    case interim
    /// A failure of this class (opted-out or retryable).
    case failed(FailureClass)
}

/// Decides what a report's `status` means, and describes it for `show` and the failed-number export.
///
/// The store takes one through `JobStoreOptions.reportClassifier`, so the code catalogue can supply
/// its own descriptions while the classes stay as SPEC §4 defines them.
public protocol ReportStatusClassifier: Sendable {
    /// The verdict for `status` (DELIVRD, UNDELIV, BLACK, SC:0003, E200027, ...).
    func verdict(for status: String) -> ReportStatusVerdict
    /// A description of a failing `status` as users read it.
    func description(for status: String) -> String
}

/// SPEC §4: DELIVRD is delivered; REJECTD, BLACK, MBBLACK and SC:0003/0004/0005/0013/0016 are
/// opted-out; every other status is a retryable failure, except ACCEPTD, which the reference
/// calls a temporary status and which therefore leaves the number waiting.
public struct StandardReportStatusClassifier: ReportStatusClassifier {
    /// Statuses meaning the recipient or a blocklist refuses: never resent, suppressed.
    public static let optedOutStatuses: Set<String> = [
        "REJECTD", "BLACK", "MBBLACK", "SC:0003", "SC:0004", "SC:0005", "SC:0013", "SC:0016",
    ]
    /// Statuses that are not final.
    public static let interimStatuses: Set<String> = ["ACCEPTD"]

    /// The standard classification.
    public init() {}

    public func verdict(for status: String) -> ReportStatusVerdict {
        if status == "DELIVRD" { return .delivered }
        if Self.interimStatuses.contains(status) { return .interim }
        return .failed(Self.optedOutStatuses.contains(status) ? .optedOut : .retryable)
    }

    public func description(for status: String) -> String {
        Self.optedOutStatuses.contains(status)
            ? "status report \(status): the recipient or a blocklist refuses messages; not resent"
            : "status report \(status): not delivered"
    }
}

/// What all stored reports of one message, taken together, say about its number.
public enum MessageDeliveryOutcome: Sendable, Hashable {
    /// No final answer yet (no report, only interim ones, or some parts still unreported).
    case awaiting
    /// Every part 1...total was reported DELIVRD.
    case delivered
    /// A part that was never delivered failed with `status`.
    case failed(status: String, failureClass: FailureClass)
}

/// The rules that make report handling idempotent and order-independent: the outcome is a
/// function of the set of reports, never of their arrival order.
public enum MessageDeliveryRules {
    /// The outcome of a message's reports. A part counts as delivered once any of its reports is
    /// DELIVRD (a failure of that part, before or after, does not undo it). The message is
    /// delivered when parts 1...total all are (`total` is the largest any report gives, 1 when
    /// none does; a report without `sequence` is part 1). Otherwise the failure reports of parts
    /// not delivered decide: the one with the latest `updateTime` (then the greatest status, so
    /// ties are settled the same way in every order); with none, the message is still awaited.
    public static func outcome(of reports: [StatusReport], classifier: any ReportStatusClassifier) -> MessageDeliveryOutcome {
        let total = reports.compactMap(\.total).max() ?? 1
        var deliveredParts = Set<Int>()
        var failures: [(report: StatusReport, failureClass: FailureClass)] = []
        for report in reports {
            switch classifier.verdict(for: report.status) {
            case .delivered: deliveredParts.insert(report.sequence ?? 1)
            case .failed(let failureClass): failures.append((report, failureClass))
            case .interim: break
            }
        }
        if (1...max(total, 1)).allSatisfy(deliveredParts.contains) { return .delivered }
        let decisive = failures.filter { !deliveredParts.contains($0.report.sequence ?? 1) }
            .max { lhs, rhs in
                let left = (lhs.report.updateTime ?? "", lhs.report.status)
                let right = (rhs.report.updateTime ?? "", rhs.report.status)
                return left < right
            }
        guard let decisive else { return .awaiting }
        return .failed(status: decisive.report.status, failureClass: decisive.failureClass)
    }
}
