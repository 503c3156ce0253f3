import Foundation

/// A job with its number counts: what `show --json`, `jobs --json`, `send --json` print.
///
/// Every number is in exactly one state, so the state counts add up to `total`.
/// `failuresByReason` counts failed numbers by code (INVALID_NUMBER, SUPPRESSED, LOCAL_LIMIT,
/// E200041, UNDELIV, EXPIRED...) and `failuresByClass` the same numbers by class, so both add up
/// to `failed`. Accepted numbers are the ones awaiting a status report. `deferredByReason`
/// counts deferred numbers by why they wait (SEND_WINDOW, FREQUENCY_LIMIT, FLOW_CONTROL), so it
/// adds up to `deferred`.
public struct JobSummary: Sendable, Hashable, Encodable {
    /// The job itself.
    public var job: JobRecord
    /// Numbers per state; states with no numbers are absent.
    public var counts: [NumberState: Int]
    /// Failed numbers by code.
    public var failuresByReason: [String: Int]
    /// Failed numbers by class (invalid, opted-out, retryable).
    public var failuresByClass: [FailureClass: Int] = [:]
    /// Jobs created as reruns of this one, oldest first (`job.rerunOf` is the other direction).
    public var reruns: [JobID] = []
    /// Deferred numbers by reason code.
    public var deferredByReason: [String: Int] = [:]
    /// When the first deferred numbers of each reason become due again (for SEND_WINDOW: when
    /// the next window opens).
    public var nextDeferredByReason: [String: Date] = [:]
    /// What the job was estimated to send and cost when it was created (SPEC §6), if known.
    public var estimate: Estimate?

    /// A value with every field given.
    package init(job: JobRecord, counts: [NumberState: Int], failuresByReason: [String: Int],
                 failuresByClass: [FailureClass: Int] = [:], reruns: [JobID] = [],
                 deferredByReason: [String: Int] = [:], nextDeferredByReason: [String: Date] = [:],
                 estimate: Estimate? = nil) {
        self.estimate = estimate
        self.job = job
        self.counts = counts
        self.failuresByReason = failuresByReason
        self.failuresByClass = failuresByClass
        self.reruns = reruns
        self.deferredByReason = deferredByReason
        self.nextDeferredByReason = nextDeferredByReason
    }

    /// When the next deferred numbers become due, whatever their reason.
    public var nextDeferredAt: Date? { nextDeferredByReason.values.min() }

    /// Numbers in `state`.
    public func count(_ state: NumberState) -> Int { counts[state, default: 0] }

    /// Numbers accepted by the platform and still waiting for their status report.
    public var awaitingReport: Int { count(.accepted) }

    /// Every number of the job, invalid entries included.
    public var total: Int { counts.values.reduce(0, +) }

    private enum Keys: String, CodingKey {
        case id, name, state, scheduledAt, startedAt, finishedAt, total, pending, deferred, sending, accepted
        case delivered, failed, unconfirmed, notSent, failuresByReason, rate, template, from, rerunOf, lastError
        case failuresByClass, awaitingReport, reruns, deferredByReason, nextDeferredAt, sendWindow, sendBy, estimate
    }

    /// The `show --json` object; times are ISO 8601 UTC strings or null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        func time(_ date: Date?) -> String? { date.map { ISOTimeText.utc($0) } }
        try container.encode(job.id.description, forKey: .id)
        try container.encode(job.name, forKey: .name)
        try container.encode(job.state.rawValue, forKey: .state)
        try container.encode(time(job.scheduledAt), forKey: .scheduledAt)
        try container.encode(time(job.startedAt), forKey: .startedAt)
        try container.encode(time(job.finishedAt), forKey: .finishedAt)
        try container.encode(total, forKey: .total)
        try container.encode(count(.pending), forKey: .pending)
        try container.encode(count(.deferred), forKey: .deferred)
        try container.encode(deferredByReason, forKey: .deferredByReason)
        try container.encode(time(nextDeferredAt), forKey: .nextDeferredAt)
        try container.encode(count(.sending), forKey: .sending)
        try container.encode(count(.accepted), forKey: .accepted)
        try container.encode(count(.delivered), forKey: .delivered)
        try container.encode(count(.failed), forKey: .failed)
        try container.encode(count(.unconfirmed), forKey: .unconfirmed)
        try container.encode(count(.notSent), forKey: .notSent)
        try container.encode(failuresByReason, forKey: .failuresByReason)
        try container.encode(Dictionary(uniqueKeysWithValues: failuresByClass.map { ($0.key.rawValue, $0.value) }),
                             forKey: .failuresByClass)
        try container.encode(awaitingReport, forKey: .awaitingReport)
        try container.encode(job.rate, forKey: .rate)
        try container.encode(job.sendWindow.description, forKey: .sendWindow)
        try container.encode(time(job.sendBy), forKey: .sendBy)
        try container.encode(job.templateID, forKey: .template)
        try container.encode(job.from, forKey: .from)
        try container.encode(job.rerunOf?.description, forKey: .rerunOf)
        try container.encode(reruns.map(\.description), forKey: .reruns)
        try container.encode(job.lastError, forKey: .lastError)
        try container.encode(estimate, forKey: .estimate)
    }
}
