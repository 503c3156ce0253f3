/// Gathers the numbers of one `batchSendDiffSms` request as they are claimed, grouping them by
/// value tuple within the request limits (SPEC §7: at most 500 numbers over all groups, at most
/// 100 groups).
///
/// A claim reads the due numbers in sending order (`PersonalisedRequestPlan.sendRanks`) and
/// offers each one: `add` refuses the number that would be the 501st, or would open a 101st
/// group, and the claim stops there, leaving it for the next request. Deferrals and retries
/// can put numbers of several planned requests into one claim; this is what keeps such a claim
/// within the limits.
public struct PersonalisedRequestBuilder: Sendable {
    /// The most numbers the request may carry.
    public let maxNumbers: Int
    /// The most groups the request may carry.
    public let maxGroups: Int
    /// The groups in the order they were opened.
    public private(set) var groups: [Group] = []
    /// Numbers added so far.
    public private(set) var count = 0
    private var groupOfSet: [UInt32: Int] = [:]

    /// One content group: a value tuple and the numbers (caller's ids) that get it.
    public struct Group: Sendable, Equatable {
        /// The value tuple (an index into the job's `TemplateValueSets`).
        public let valueSet: UInt32
        /// The caller's ids of the numbers, in the order added.
        public internal(set) var members: [Int64]
    }

    /// An empty request; `maxNumbers` may be lowered (e.g. to the job's rate), never raised past 500.
    public init(maxNumbers: Int = PersonalisedRequestPlanner.maximumNumbersPerRequest,
                maxGroups: Int = PersonalisedRequestPlanner.maximumGroupsPerRequest) {
        precondition((1...PersonalisedRequestPlanner.maximumNumbersPerRequest).contains(maxNumbers), "1 to 500 numbers")
        precondition((1...PersonalisedRequestPlanner.maximumGroupsPerRequest).contains(maxGroups), "1 to 100 groups")
        self.maxNumbers = maxNumbers
        self.maxGroups = maxGroups
    }

    /// Whether no further number fits.
    public var isFull: Bool { count >= maxNumbers }

    /// Whether a number with `valueSet` would still fit.
    public func accepts(valueSet: UInt32) -> Bool {
        count < maxNumbers && (groupOfSet[valueSet] != nil || groups.count < maxGroups)
    }

    /// Adds number `id` with tuple `valueSet` to its group (opening one if needed); false, and
    /// nothing added, when it does not fit.
    @discardableResult
    public mutating func add(_ id: Int64, valueSet: UInt32) -> Bool {
        guard accepts(valueSet: valueSet) else { return false }
        if let group = groupOfSet[valueSet] {
            groups[group].members.append(id)
        } else {
            groupOfSet[valueSet] = groups.count
            groups.append(Group(valueSet: valueSet, members: [id]))
        }
        count += 1
        return true
    }
}
