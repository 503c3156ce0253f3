import Foundation
import GroupSMSModel

/// Whether a job store can be used right now; the daemon's `GET /readyz` asks on every probe.
///
/// The SQLite store (`JobStore`) and the PostgreSQL store's connection answer it the same way:
/// return when a trivial query on the store succeeded, throw the store's own error (which says
/// what to fix) when not.
public protocol StoreHealthCheck: Sendable {
    /// Returns when the store answered; throws what went wrong.
    func checkHealth() async throws
}

/// What the daemon's `GET /metrics` reads from the store at scrape time: the gauges that describe
/// the store's content rather than this process's work.
public struct StoreOperationsSnapshot: Sendable, Equatable {
    /// Jobs per state (every state present, zero when none).
    public var jobs: [JobState: Int]
    /// Numbers whose fate is unknown (unconfirmed), over every job.
    public var unconfirmedNumbers: Int
    /// Numbers whose request start is reserved in the span asked for, per pace account.
    public var paceNumbers: [String: Int]

    /// A snapshot of these values; missing states count zero.
    public init(jobs: [JobState: Int], unconfirmedNumbers: Int, paceNumbers: [String: Int]) {
        self.jobs = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, jobs[$0] ?? 0) })
        self.unconfirmedNumbers = unconfirmedNumbers
        self.paceNumbers = paceNumbers
    }
}

/// A store that can describe itself for metrics and health probes.
public protocol StoreOperationsReading: StoreHealthCheck {
    /// Job counts by state, unconfirmed numbers, and the numbers whose start is reserved in
    /// `(now - paceSpan, now]` per pace account.
    func operationsSnapshot(now: Date, paceSpan: TimeInterval) async throws -> StoreOperationsSnapshot
}
