import Foundation

/// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests of
/// `GET /metrics`: whatever it accepts, a Prometheus server would scrape the same way.
///
/// Rules checked: `# HELP` and `# TYPE` at most once per family and before its samples, every
/// sample's family typed; metric and label names well formed, label values escaped (`\\`, `\"`,
/// `\n` only), no label twice; a family's samples together; no series twice; counters not
/// negative; histograms with `_bucket` (an `le` label), `_sum` and `_count` for each label set,
/// buckets in increasing `le`, counts not decreasing, a `+Inf` bucket equal to `_count`.
public struct PrometheusText: Sendable {
    /// One sample line.
    public struct Sample: Sendable, Hashable {
        /// The sample's own name (`x_bucket`, `x_sum`... for histograms).
        public var name: String
        /// Its labels, by name.
        public var labels: [String: String]
        /// Its value.
        public var value: Double
    }

    /// A metric family: its name, kind, help and samples in order.
    public struct Family: Sendable {
        public var name: String
        public var type: String
        public var help: String?
        public var samples: [Sample] = []
    }

    /// Why a text was refused: the line (1-based) and the rule it breaks.
    public struct Violation: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var rule: String
        public var description: String { "line \(line): \(rule)" }
    }

    /// The families, in the order they appear.
    public private(set) var families: [Family] = []

    /// Reads `text`, or throws the first rule it breaks.
    public init(parsing text: String) throws {
        var reader = PrometheusTextReader()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try reader.read(String(line), number: index + 1)
        }
        try reader.finish()
        families = reader.families
    }

    /// The family named `name`.
    public func family(_ name: String) -> Family? {
        families.first { $0.name == name }
    }

    /// The value of the sample `name` with exactly `labels`, if there is one.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.lazy.flatMap(\.samples).first { $0.name == name && $0.labels == labels }?.value
    }
}
