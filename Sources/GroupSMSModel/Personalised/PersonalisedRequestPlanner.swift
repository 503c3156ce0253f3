/// Plans the `batchSendDiffSms` requests of a personalised job (SPEC §7): numbers with
/// identical values share a group, at most 500 numbers per request over all its groups and at
/// most 100 groups per request, file order kept as far as merging allows.
///
/// The plan is an order: requests one after another, each a run of groups, each group a run of
/// numbers with one value tuple. A request starts at the earliest number not yet planned (its
/// head) and opens groups for the next numbers in file order; opening a group pulls in the
/// later numbers with the same tuple, but only from within `lookahead` positions of the head,
/// so no number goes out more than `lookahead` places before its turn in the file. When every
/// tuple differs a request holds 100 numbers (one per group); when all are alike, 500.
///
/// Linear time and memory: about 12 bytes a number (the order, each number's next number with
/// the same tuple, and a skip list over planned numbers) and 4 bytes a tuple.
public enum PersonalisedRequestPlanner {
    /// The most numbers one request carries, over all its groups.
    public static let maximumNumbersPerRequest = 500
    /// The most content groups one request carries.
    public static let maximumGroupsPerRequest = 100
    /// How far ahead of its turn a number may be pulled into a group: 10,000 positions is 20 s
    /// of sending at the 500-a-second cap.
    public static let defaultLookahead = 10_000

    /// Plans the requests for numbers whose value tuples are `valueSets` (in file order; each
    /// below `valueSetCount`).
    public static func plan(valueSets: [UInt32], valueSetCount: Int,
                            maxNumbers: Int = maximumNumbersPerRequest, maxGroups: Int = maximumGroupsPerRequest,
                            lookahead: Int = defaultLookahead) -> PersonalisedRequestPlan {
        precondition(maxNumbers > 0 && maxGroups > 0 && lookahead > 0, "limits are positive")
        precondition(valueSets.count < Int(UInt32.max), "positions fit 32 bits")
        var state = PlannerState(valueSets: valueSets, valueSetCount: valueSetCount)
        var plan = PersonalisedRequestPlan(count: valueSets.count)
        var head = state.firstUnplanned(from: 0)
        while head < valueSets.count {
            let windowEnd = min(valueSets.count, head + lookahead)
            var numbers = 0
            var groups = 0
            var scan = head
            // Scanning stops at the window's end too: a tuple met past it could already have a
            // group in this request (its members inside the window were taken, later ones not).
            while scan < windowEnd, groups < maxGroups, numbers < maxNumbers {
                let set = valueSets[scan]
                // The set's first unplanned member is `scan` itself: any earlier one would have
                // been met by this scan (or an earlier request's) and taken with its group.
                var member = scan
                repeat {
                    plan.order.append(UInt32(member))
                    state.markPlanned(member)
                    numbers += 1
                    member = state.nextSame(member)
                } while member < windowEnd && numbers < maxNumbers
                plan.groupEnds.append(UInt32(plan.order.count))
                plan.groupValueSets.append(set)
                groups += 1
                scan = state.firstUnplanned(from: scan + 1)
            }
            plan.requestGroupEnds.append(UInt32(plan.groupEnds.count))
            head = state.firstUnplanned(from: head)
        }
        return plan
    }
}

/// The planner's working arrays.
private struct PlannerState {
    /// Next position with the same tuple, or the count for none.
    private var nextWithSameSet: [UInt32]
    /// Union-find over planned positions: `skip[p]` leads to the first unplanned position ≥ p.
    private var skip: [UInt32]

    init(valueSets: [UInt32], valueSetCount: Int) {
        let count = valueSets.count
        nextWithSameSet = [UInt32](repeating: UInt32(count), count: count)
        var firstOfSet = [UInt32](repeating: UInt32(count), count: valueSetCount)
        for position in stride(from: count - 1, through: 0, by: -1) {
            let set = Int(valueSets[position])
            precondition(set < valueSetCount, "value set \(set) is not below \(valueSetCount)")
            nextWithSameSet[position] = firstOfSet[set]
            firstOfSet[set] = UInt32(position)
        }
        skip = (0...count).map { UInt32($0) }
    }

    func nextSame(_ position: Int) -> Int { Int(nextWithSameSet[position]) }

    mutating func markPlanned(_ position: Int) { skip[position] = UInt32(position + 1) }

    /// The first position at or after `start` not yet planned (the count when none), with path halving.
    mutating func firstUnplanned(from start: Int) -> Int {
        var position = start
        while Int(skip[position]) != position {
            let parent = Int(skip[position])
            skip[position] = skip[parent]
            position = parent
        }
        return position
    }
}

/// A personalised job's requests: which numbers go in which group of which request.
public struct PersonalisedRequestPlan: Sendable, Equatable {
    /// Number positions (file order) in sending order: request by request, group by group.
    public internal(set) var order: [UInt32] = []
    /// Each group's end in `order`.
    public internal(set) var groupEnds: [UInt32] = []
    /// Each group's value tuple.
    public internal(set) var groupValueSets: [UInt32] = []
    /// Each request's end in `groupEnds`.
    public internal(set) var requestGroupEnds: [UInt32] = []

    init(count: Int) {
        order.reserveCapacity(count)
    }

    /// The number of requests.
    public var requestCount: Int { requestGroupEnds.count }

    /// Request `index`: its groups, each a value tuple and the positions of its numbers.
    public func request(_ index: Int) -> [PersonalisedGroup] {
        let firstGroup = index == 0 ? 0 : Int(requestGroupEnds[index - 1])
        return (firstGroup..<Int(requestGroupEnds[index])).map { group in
            let start = group == 0 ? 0 : Int(groupEnds[group - 1])
            return PersonalisedGroup(valueSet: groupValueSets[group], positions: Array(order[start..<Int(groupEnds[group])]))
        }
    }

    /// For each position, its place in the sending order (what a store keeps as the send rank).
    public func sendRanks() -> [UInt32] {
        var ranks = [UInt32](repeating: 0, count: order.count)
        for (rank, position) in order.enumerated() { ranks[Int(position)] = UInt32(rank) }
        return ranks
    }
}

/// One content group of a request: numbers that get the same values.
public struct PersonalisedGroup: Sendable, Equatable {
    /// The value tuple (an index into the job's `TemplateValueSets`).
    public let valueSet: UInt32
    /// The numbers, as positions in file order.
    public let positions: [UInt32]

    /// Creates a group.
    public init(valueSet: UInt32, positions: [UInt32]) {
        self.valueSet = valueSet
        self.positions = positions
    }
}
