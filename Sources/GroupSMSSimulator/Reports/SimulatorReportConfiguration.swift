/// One part of every multi-part message that fails while the others are delivered.
public struct SimulatorFailingPart: Sendable, Equatable {
    /// The part's `sequence` (1-based).
    public var sequence: Int
    /// Its status, e.g. `UNDELIV`.
    public var status: String

    /// A failing part.
    public init(sequence: Int, status: String) {
        self.sequence = sequence
        self.status = status
    }
}

/// Status report behaviour of the simulated platform.
///
/// Where reports go follows the reference: a request with `statusCallback` gets single form
/// reports there (Status Report Receiving API); a request without one gets batch JSON reports at
/// the application's console-configured URL, `consoleCallbackURL` (Batch Status Reports
/// Receiving API); with neither, no reports. Each report is posted once: the platform does not
/// look at the answer, so a receiver that fails loses it.
public struct SimulatorReportConfiguration: Sendable {
    /// Whether reports are pushed at all.
    public var enabled: Bool = true
    /// The console-configured batch report URL, used for requests without `statusCallback`.
    public var consoleCallbackURL: String?
    /// Seconds between accepting a number and pushing its report (on the simulator's clock).
    public var delay: Double = 1
    /// Reports per batch post (1-50).
    public var batchSize: Int = 50
    /// Status by number suffix, e.g. `["13": "UNDELIV", "99": "BLACK"]`; the longest matching
    /// suffix wins. Any printable status up to 32 characters (e.g. `MN:000123`) is sent as given.
    public var statusBySuffix: [String: String] = [:]
    /// Fraction (0-1) of the other numbers that get a failure from `failureStatuses`, drawn with the seed.
    public var failureFraction: Double = 0
    /// The failure statuses drawn for `failureFraction`.
    public var failureStatuses: [String] = ["UNDELIV"]
    /// Parts per message, each with its own report (`total` = this, `sequence` 1...total);
    /// nil = the segments counted from the rendered text when the template is registered, else 1.
    public var segmentsPerMessage: Int? = 1
    /// A part of each multi-part message that fails while its other parts are DELIVRD; nil =
    /// every part carries the number's status.
    public var failingPart: SimulatorFailingPart?

    /// The largest batch the platform sends.
    public static let maximumBatchSize = 50

    /// Creates the default: one DELIVRD report per number after 1 s.
    public init() {}
}
