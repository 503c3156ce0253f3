/// Gathers the numbers of one `batchSendDiffSms` request as they are claimed, grouping them by
/// value tuple within the request limits (SPEC §7: at most 500 numbers over all groups, at most
/// 100 groups; API reference 3.2.4: `smsContent` at most 64 KB).
///
/// A claim reads the due numbers in sending order (`PersonalisedRequestPlan.sendRanks`) and
/// offers each one: `add` refuses the number that would be the 501st, or would open a 101st
/// group, and the claim stops there, leaving it for the next request. Deferrals and retries
/// can put numbers of several planned requests into one claim; this is what keeps such a claim
/// within the limits. The size of `smsContent` is tracked from `PersonalisedContentSize`'s
/// estimates, which never fall below the JSON the client writes.
public struct PersonalisedRequestBuilder: Sendable {
    /// The most bytes of `smsContent` JSON a request may carry (the client refuses 64 KB and more).
    public static let maximumContentBytes = 64 * 1024 - 1

    /// The most numbers the request may carry.
    public let maxNumbers: Int
    /// The most groups the request may carry.
    public let maxGroups: Int
    /// The groups in the order they were opened.
    public private(set) var groups: [Group] = []
    /// Numbers added so far.
    public private(set) var count = 0
    /// The estimated `smsContent` bytes so far (`[` and `]` included).
    public private(set) var contentBytes = 2
    /// The most `smsContent` bytes this request may carry.
    public let maxContentBytes: Int
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
                maxGroups: Int = PersonalisedRequestPlanner.maximumGroupsPerRequest,
                maxContentBytes: Int = maximumContentBytes) {
        precondition((1...PersonalisedRequestPlanner.maximumNumbersPerRequest).contains(maxNumbers), "1 to 500 numbers")
        precondition((1...PersonalisedRequestPlanner.maximumGroupsPerRequest).contains(maxGroups), "1 to 100 groups")
        self.maxNumbers = maxNumbers
        self.maxGroups = maxGroups
        self.maxContentBytes = maxContentBytes
    }

    /// Whether no further number fits.
    public var isFull: Bool { count >= maxNumbers }

    /// Whether a number with `valueSet` would still fit (by count; `add` checks the size too).
    public func accepts(valueSet: UInt32) -> Bool {
        count < maxNumbers && (groupOfSet[valueSet] != nil || groups.count < maxGroups)
    }

    /// Adds number `id` with tuple `valueSet` to its group (opening one if needed); false, and
    /// nothing added, when it does not fit. `numberBytes` and `groupBytes` are the number's and
    /// (asked only when a group opens) the group's share of `smsContent`, from
    /// `PersonalisedContentSize`; leave them 0 to count numbers and groups only.
    @discardableResult
    public mutating func add(_ id: Int64, valueSet: UInt32, numberBytes: Int = 0,
                             groupBytes: () -> Int = { 0 }) -> Bool {
        guard accepts(valueSet: valueSet) else { return false }
        if let group = groupOfSet[valueSet] {
            guard contentBytes + numberBytes <= maxContentBytes else { return false }
            groups[group].members.append(id)
            contentBytes += numberBytes
        } else {
            let opening = groupBytes() + (groups.isEmpty ? 0 : 1)
            guard contentBytes + opening + numberBytes <= maxContentBytes else { return false }
            groupOfSet[valueSet] = groups.count
            groups.append(Group(valueSet: valueSet, members: [id]))
            contentBytes += opening + numberBytes
        }
        count += 1
        return true
    }
}

/// Upper bounds of the JSON bytes a `batchSendDiffSms` group takes in `smsContent`
/// (`{"to":[...],"templateId":"...","templateParas":[...],"signature":"..."}`), never below what
/// a JSON encoder writes: every `"` and `\` counts 2 bytes, every control character 6 (`\u00XX`).
public enum PersonalisedContentSize {
    /// A group without its numbers: the braces, keys, template id, values and signature.
    public static func group(templateID: String, paras: [String], signature: String?) -> Int {
        var bytes = #"{"to":[],"templateId":}"#.utf8.count + quoted(templateID)
        if !paras.isEmpty {
            bytes += #","templateParas":[]"#.utf8.count + paras.reduce(0) { $0 + quoted($1) } + paras.count - 1
        }
        if let signature { bytes += #","signature":"#.utf8.count + quoted(signature) }
        return bytes
    }

    /// One number in a group's `to`, with the comma before it (an upper bound for the first).
    public static func number(_ e164: String) -> Int {
        quoted(e164) + 1
    }

    /// `text` as a JSON string, quotes included.
    static func quoted(_ text: String) -> Int {
        var bytes = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += 2
            case 0..<0x20: bytes += 6
            default: bytes += 1
            }
        }
        return bytes
    }
}
