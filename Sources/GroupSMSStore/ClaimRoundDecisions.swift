import Foundation
import GroupSMSModel

/// The send-window part of one claim round, the same on both stores: which numbers wait for
/// their window (by the instant they may go) and which fail at the job's deadline (by
/// description), collected for the store to write in one statement per instant.
public struct WindowAdmissions: Sendable {
    /// The job's window and deadline at the claim's instant (it caches each zone's verdict).
    private var gate: SendWindowGate
    /// Numbers of the current round held for their window, by the instant they wait for.
    public private(set) var holds: [Date: [Int64]] = [:]
    /// Numbers of the current round failed at the deadline, by description.
    public private(set) var expiries: [String: [Int64]] = [:]

    /// Admissions under `gate`.
    public init(gate: SendWindowGate) {
        self.gate = gate
    }

    /// Applies the window and deadline to row `id` (`e164`): true when it may go on to the
    /// suppression list and the frequency limits; otherwise it is noted to be held or failed,
    /// and `claim`'s postponed, released and expired counts follow.
    public mutating func admit(id: Int64, e164: String, wasPostponed: Bool, into claim: inout ChunkClaim) -> Bool {
        guard gate.isActive else { return true }
        switch gate.verdict(forE164: e164) {
        case .send:
            return true
        case .wait(let until):
            if !wasPostponed { claim.postponed += 1 }
            holds[until, default: []].append(id)
            return false
        case .expire(let description):
            if wasPostponed { claim.released += 1 }
            claim.expired += 1
            expiries[description, default: []].append(id)
            return false
        }
    }

    /// Forgets the round's holds and expiries once the store wrote them.
    public mutating func startNextRound() {
        holds.removeAll(keepingCapacity: true)
        expiries.removeAll(keepingCapacity: true)
    }
}

/// A personalised claim's request groups, the same on both stores: numbers with one tuple
/// share a group, within `PersonalisedRequestBuilder`'s 500 numbers, 100 groups and 64 KB.
public struct ValueGroupCollector: Sendable {
    /// The groups so far.
    public private(set) var builder = PersonalisedRequestBuilder()
    /// The grouped numbers' E.164, by row id.
    private var groupedNumbers: [Int64: String] = [:]
    /// Whether the groups can take no further number (a 101st group or 64 KB would be needed).
    public var isFull = false

    /// No groups yet.
    public init() {}

    /// Whether a number of tuple `index` could still join (its group exists, or one more may open).
    public func accepts(valueSet index: Int64) -> Bool { builder.accepts(valueSet: UInt32(index)) }

    /// Puts row `id` (`e164`) in the group of tuple `index` (`params`) of `job`; false when the
    /// request cannot take it (a 101st group, or `smsContent` past 64 KB).
    public mutating func add(id: Int64, e164: String, valueSet index: Int64, params: [String], of job: JobRecord) -> Bool {
        let added = builder.add(id, valueSet: UInt32(index), numberBytes: PersonalisedContentSize.number(e164)) {
            PersonalisedContentSize.group(templateID: job.templateID, paras: params, signature: job.signature)
        }
        if added { groupedNumbers[id] = e164 }
        return added
    }

    /// The chunk's value groups, each number once, in the order the groups opened; `params`
    /// gives each tuple's values.
    public func valueGroups(params: (Int64) -> [String]?) -> [ChunkValueGroup] {
        builder.groups.map { group in
            ChunkValueGroup(params: params(Int64(group.valueSet)) ?? [],
                            numbers: group.members.compactMap { groupedNumbers[$0] })
        }
    }
}
