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
    var gate: SendWindowGate
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
    /// Numbers of the current round held for their window, by the instant they wait for.
    var holds: [Date: [Int64]] = [:]
    /// Numbers of the current round failed at the deadline, by description.
    var expiries: [String: [Int64]] = [:]
    /// Numbers of the current round a frequency limit defers, with their instant and text.
    var limitDeferrals: [(id: Int64, until: Date, description: String)] = []
    /// Numbers of the current round failed here (SUPPRESSED, LOCAL_LIMIT).
    var localFailures: [(id: Int64, failureClass: FailureClass, code: String, description: String)] = []
    /// A personalised job's request groups so far (≤ 500 numbers, ≤ 100 groups, ≤ 64 KB).
    var groups = PersonalisedRequestBuilder()
    /// The tuples this claim has read, by index.
    var valueSets: [Int64: PostgresValueSet] = [:]
    /// The grouped numbers' E.164, by row id.
    var groupedNumbers: [Int64: String] = [:]
    /// Whether the groups can take no further number (a 101st group or 64 KB would be needed).
    var groupsFull = false

    init(job: JobRecord, now: Date, maxNumbers: Int, limits: FrequencyLimits, zones: (any NumberZoneLookup)?) {
        self.job = job
        self.now = now
        nowMs = PostgresTime.milliseconds(now)
        self.maxNumbers = maxNumbers
        self.limits = limits
        gate = SendWindowGate(setting: job.sendWindow, sendBy: job.sendBy, at: now, zones: zones)
    }

    /// Whether the chunk holds as many numbers as the claim may send.
    var isFull: Bool { groupsFull || chosen.count >= maxNumbers }

    /// Applies the job's send window and deadline to `number`: true when it may go on to the
    /// suppression list and the frequency limits; otherwise it is noted to be held or failed.
    mutating func admit(_ number: PostgresQueuedNumber) -> Bool {
        guard gate.isActive else { return true }
        switch gate.verdict(forE164: number.e164) {
        case .send:
            return true
        case .wait(let until):
            if !number.wasPostponed { claim.postponed += 1 }
            holds[until, default: []].append(number.id)
            return false
        case .expire(let description):
            if number.wasPostponed { claim.released += 1 }
            claim.expired += 1
            expiries[description, default: []].append(number.id)
            return false
        }
    }

    /// Decides an admitted number by the suppression list and the frequency limits (compared
    /// by its own content): it joins the chunk, waits (FREQUENCY_LIMIT, never past the job's
    /// deadline) or fails (SUPPRESSED, LOCAL_LIMIT), written with the round. False, and nothing
    /// decided, when the request's groups cannot take it.
    mutating func settle(_ number: PostgresQueuedNumber, values: (index: Int64, set: PostgresValueSet)?,
                         suppression entry: SuppressionEntry?, history: [SendRecord]) -> Bool {
        if let entry {
            localFailures.append((number.id, .optedOut, "SUPPRESSED",
                                  "on the suppression list since \(PostgresTime.iso(entry.addedAt)) (\(entry.code))"))
            claim.suppressed += 1
            return true
        }
        let contentKey = values?.set.contentKey ?? job.contentKey
        switch limits.decide(history: history, contentKey: contentKey, now: now, maxDefer: job.maxDefer) {
        case .sendNow:
            if let values, !addToGroups(number, index: values.index, set: values.set) { return false }
            chosen.append((number.id, number.e164, contentKey))
        case .deferUntil(let allowed, let rule):
            let until = job.sendBy.map { min($0, allowed) } ?? allowed
            limitDeferrals.append((number.id, until, "deferred until \(PostgresTime.iso(until)): limit of \(rule) per number"))
            claim.deferred += 1
        case .localLimit(let allowedAt, let rule):
            localFailures.append((number.id, .retryable, "LOCAL_LIMIT", "limit of \(rule) per number; allowed again at "
                                  + "\(PostgresTime.iso(allowedAt)), later than the job's max-defer"))
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

    /// Puts `number` in the request group of its tuple; false when the request cannot take it
    /// (a 101st group, or `smsContent` past 64 KB).
    mutating func addToGroups(_ number: PostgresQueuedNumber, index: Int64, set: PostgresValueSet) -> Bool {
        let job = self.job
        let added = groups.add(number.id, valueSet: UInt32(index),
                               numberBytes: PersonalisedContentSize.number(number.e164)) {
            PersonalisedContentSize.group(templateID: job.templateID, paras: set.params, signature: job.signature)
        }
        if added { groupedNumbers[number.id] = number.e164 }
        return added
    }

    /// The chunk's value groups, each number once, in the order the groups opened.
    func valueGroups() -> [ChunkValueGroup] {
        groups.groups.map { group in
            ChunkValueGroup(params: valueSets[Int64(group.valueSet)]?.params ?? [],
                            numbers: group.members.compactMap { groupedNumbers[$0] })
        }
    }
}
