import Foundation
import GroupSMSModel
import GroupSMSStore

/// A queued number as a claim reads it: its row, its E.164 form, its deferral reason when it
/// waits, and a personalised job's tuple (as `JobStore`'s claims read it).
struct PostgresQueuedNumber: Sendable {
    var id: Int64
    var e164: String
    /// The deferral reason code; nil for a pending number.
    var waitingFor: String?
    /// The number's tuple of values; nil when the job has none.
    var valueSet: Int64?

    /// Whether it was waiting for its send window.
    var wasPostponed: Bool { waitingFor == DeferralReason.sendWindow }
}

/// One stored tuple of a personalised job: its values and the content key the limits compare.
struct PostgresValueSet: Sendable, Hashable {
    var params: [String]
    var contentKey: String
}

/// What one claim on PostgreSQL has decided so far (the twin of the SQLite store's claim work):
/// the chunk's numbers are collected here and written together when the claim ends.
struct PostgresClaimWork {
    let job: JobRecord
    let now: Date
    let nowMs: Int64
    let maxNumbers: Int
    let limits: FrequencyLimits
    /// The round's window holds and deadline failures, written with the round.
    var windows: WindowAdmissions
    var claim = ChunkClaim(deferred: 0, limited: 0, suppressed: 0, isDrained: false)
    /// The chunk's numbers so far, in claim order, each with the content key its send records.
    var chosen: [(id: Int64, e164: String, contentKey: String)] = []
    /// Rows this claim read and left in their state, because another claim holds their number's
    /// lock; a later round does not read them again (every other row read changes state).
    var skipped: [Int64] = []
    /// The rows a later round must not read again: the chunk's and the skipped ones.
    var readAndKept: [Int64] { chosen.map(\.id) + skipped }
    /// Numbers looked at so far (see `JobStore.examinedPerClaim`).
    var examined = 0
    /// Whether this claim already holds number locks (the first set is waited for, later ones tried).
    var holdsNumberLocks = false
    /// Numbers of the current round a frequency limit defers, with their instant and text.
    var limitDeferrals: [(id: Int64, until: Date, description: String)] = []
    /// Numbers of the current round failed here (SUPPRESSED, LOCAL_LIMIT).
    var localFailures: [(id: Int64, failureClass: FailureClass, code: String, description: String)] = []
    /// A personalised job's request groups so far (≤ 500 numbers, ≤ 100 groups, ≤ 64 KB).
    var groups = ValueGroupCollector()
    /// The tuples this claim has read, by index.
    var valueSets: [Int64: PostgresValueSet] = [:]

    init(job: JobRecord, now: Date, maxNumbers: Int, limits: FrequencyLimits, zones: (any NumberZoneLookup)?) {
        self.job = job
        self.now = now
        nowMs = StoreTime.milliseconds(now)
        self.maxNumbers = maxNumbers
        self.limits = limits
        windows = WindowAdmissions(gate: SendWindowGate(setting: job.sendWindow, sendBy: job.sendBy, at: now, zones: zones))
    }

    /// Whether the chunk holds as many numbers as the claim may send.
    var isFull: Bool { groups.isFull || chosen.count >= maxNumbers }

    /// Applies the job's send window and deadline to `number`: true when it may go on to the
    /// suppression list and the frequency limits; otherwise it is noted to be held or failed.
    mutating func admit(_ number: PostgresQueuedNumber) -> Bool {
        windows.admit(id: number.id, e164: number.e164, wasPostponed: number.wasPostponed, into: &claim)
    }

    /// Decides an admitted number by the suppression list and the frequency limits (compared
    /// by its own content): it joins the chunk, waits (FREQUENCY_LIMIT, never past the job's
    /// deadline) or fails (SUPPRESSED, LOCAL_LIMIT), written with the round. False, and nothing
    /// decided, when the request's groups cannot take it.
    mutating func settle(_ number: PostgresQueuedNumber, values: (index: Int64, set: PostgresValueSet)?,
                         suppression entry: SuppressionEntry?, history: [SendRecord]) -> Bool {
        if let entry {
            localFailures.append((number.id, .optedOut, "SUPPRESSED",
                                  entry.skipDescription))
            claim.suppressed += 1
            return true
        }
        let contentKey = values?.set.contentKey ?? job.contentKey
        switch limits.decide(history: history, contentKey: contentKey, now: now, maxDefer: job.maxDefer) {
        case .sendNow:
            if let values, !groups.add(id: number.id, e164: number.e164, valueSet: values.index,
                                       params: values.set.params, of: job) { return false }
            chosen.append((number.id, number.e164, contentKey))
        case .deferUntil(let allowed, let rule):
            let until = job.sendBy.map { min($0, allowed) } ?? allowed
            limitDeferrals.append((number.id, until, "deferred until \(StoreTime.iso(until)): limit of \(rule) per number"))
            claim.deferred += 1
        case .localLimit(let allowedAt, let rule):
            localFailures.append((number.id, .retryable, "LOCAL_LIMIT", "limit of \(rule) per number; allowed again at "
                                  + "\(StoreTime.iso(allowedAt)), later than the job's max-defer"))
            claim.limited += 1
        }
        return true
    }

    /// The tuple of `number`, or nil for a job without values; throws when the store lacks it.
    func values(of number: PostgresQueuedNumber) throws -> (index: Int64, set: PostgresValueSet)? {
        guard let index = number.valueSet else { return nil }
        guard let set = valueSets[index] else {
            throw StoreError.invalidInput("value set \(index) of \(job.id) is missing from the store")
        }
        return (index, set)
    }
}
