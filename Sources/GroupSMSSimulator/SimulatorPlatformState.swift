import Foundation
import GroupSMSModel

/// One number's entry of the answer, and what the platform counted for its text.
struct SimulatorNumberResult: Sendable {
    var smsMsgId: String
    var from: String
    var originTo: String
    var status: String
    var createTime: String
    /// The segments and encoding of the text sent; nil when not sent or the text is unknown.
    var count: SimulatedSegmentCounter.Count?

    var isAccepted: Bool { status == SimulatorCodeTable.success }
}

/// What the platform decided about an authenticated, well-formed request.
struct SimulatorDecision: Sendable {
    var httpStatus: Int
    var code: String
    var results: [SimulatorNumberResult]
    var reports: [SimulatorStatusReport]
    /// Whether the texts were known (a template registry is configured), so counts are logged.
    var textsKnown: Bool = false

    static func refused(_ code: String) -> SimulatorDecision {
        SimulatorDecision(httpStatus: 400, code: code, results: [], reports: [])
    }
}

/// The simulated account: send budgets, the incoming-rate window, per-number limits, message
/// IDs, the seeded random draws and the request records. One actor, so every request sees a
/// consistent account.
actor SimulatorPlatformState {
    /// A number of the request before the account decides: its group, and a status already
    /// fixed by the request itself (a repeat, a template refusal); nil = up to the account.
    private struct Entry {
        let group: Int
        let number: String
        let preset: String?
    }

    private let configuration: SimulatorConfiguration
    private var random: SeededRandom
    private var limits = SimulatorNumberLimits()
    private var rate = SimulatorRateWindow()
    private var budgets = SimulatorBudgets()
    private var messageCounter = 0
    private var faultDraws = 0
    private var records: [SimulatorRequestRecord] = []

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        random = SeededRandom(seed: configuration.seed)
    }

    /// Draws the answer delay and the fault of the next authenticated, well-formed request.
    func drawFault() -> (fault: SimulatorFault?, latency: Double) {
        let range = configuration.latency
        let latency = range.lowerBound + (range.upperBound - range.lowerBound) * random.unit()
        faultDraws += 1
        if let first = configuration.faultFirstRequests, faultDraws > first { return (nil, latency) }
        return (SimulatorFault.draw(configuration, random: &random), latency)
    }

    /// Answers every number with `status` (code E000510) without processing anything.
    func rejectEveryNumber(_ submission: SimulatorSubmission, status: String, now: Date) -> SimulatorDecision {
        let createTime = SimulatorTimeText.iso(now)
        let requestID = uuid()
        let results = submission.allNumbers.map { number in
            SimulatorNumberResult(smsMsgId: nextMessageID(requestID), from: submission.from, originTo: number,
                                  status: status, createTime: createTime)
        }
        return SimulatorDecision(httpStatus: 400, code: SimulatorCodeTable.perNumber, results: results, reports: [])
    }

    /// Applies budgets, flow control, duplicates, template verdicts and per-number limits to a
    /// request received at `now`, and builds the reports of the numbers it accepts.
    func decide(_ submission: SimulatorSubmission, templates: [SimulatorGroupTemplate],
                reportsTo destination: SimulatorReportDestination?, now: Date) -> SimulatorDecision {
        let entries = Self.entries(submission, templates: templates)
        let count = entries.filter { $0.preset == nil }.count
        budgets.roll(to: SimulatorTimeText.iso(now))
        if !budgets.allows(count, daily: configuration.dailyLimit, monthly: configuration.monthlyLimit) {
            return .refused("E000623")
        }
        let flowControlled = !rate.admit(count, now: now, limit: configuration.maxRate)
        if !flowControlled { budgets.spend(count) }
        let createTime = SimulatorTimeText.iso(now)
        let requestID = uuid()
        var decision = SimulatorDecision(httpStatus: 200, code: SimulatorCodeTable.success, results: [], reports: [],
                                         textsKnown: configuration.templates != nil)
        decision.results.reserveCapacity(entries.count)
        for entry in entries {
            let status = entry.preset ?? (flowControlled ? SimulatorCodeTable.flowControl : SimulatorCodeTable.success)
            var result = SimulatorNumberResult(smsMsgId: nextMessageID(requestID), from: submission.from,
                                               originTo: entry.number, status: status, createTime: createTime)
            if result.isAccepted {
                let group = submission.groups[entry.group]
                if case .accepted(let text) = templates[entry.group] {
                    result.count = SimulatorTemplateCheck.count(text, to: entry.number, signature: group.signature)
                }
                decision.reports += accept(result, group: group, extend: submission.extend, now: now,
                                           reporting: destination != nil)
            }
            decision.results.append(result)
        }
        if !decision.results.allSatisfy(\.isAccepted) {
            decision.httpStatus = 400
            decision.code = SimulatorCodeTable.perNumber
        }
        return decision
    }

    func record(_ record: SimulatorRequestRecord) {
        if configuration.keepRecords { records.append(record) }
    }

    func allRecords() -> [SimulatorRequestRecord] { records }

    /// Every number in order, with repeats within a group (E200041) and template refusals fixed.
    private static func entries(_ submission: SimulatorSubmission, templates: [SimulatorGroupTemplate]) -> [Entry] {
        var entries: [Entry] = []
        for (index, group) in submission.groups.enumerated() {
            var seen = Set<String>()
            let refusal: String? = if case .refused(let status) = templates[index] { status } else { nil }
            for number in group.numbers {
                let first = seen.insert(number).inserted
                entries.append(Entry(group: index, number: number, preset: refusal ?? (first ? nil : SimulatorCodeTable.repeatedNumber)))
            }
        }
        return entries
    }

    /// Records an accepted number against the per-number limits and returns its reports
    /// (none unless `reporting`: reports on and a destination for them).
    private func accept(_ result: SimulatorNumberResult, group: SimulatorSubmission.Group, extend: String?,
                        now: Date, reporting: Bool) -> [SimulatorStatusReport] {
        let limited = configuration.enforceNumberLimits
            ? limits.admit(result.originTo, contentKey: group.contentKey, now: now) : nil
        let reports = configuration.reports
        guard reporting, reports.enabled else { return [] }
        let status = limited ?? mixStatus(for: result.originTo)
        return SimulatorReportPlan.reports(
            smsMsgId: result.smsMsgId, number: result.originTo, status: status,
            parts: reports.segmentsPerMessage ?? result.count?.segments ?? 1, failingPart: reports.failingPart,
            updateTime: SimulatorTimeText.iso(now.addingTimeInterval(reports.delay)), extend: extend)
    }

    /// The report status of an accepted number: a suffix rule, else a drawn failure, else DELIVRD.
    private func mixStatus(for number: String) -> String {
        let rules = configuration.reports.statusBySuffix
        if !rules.isEmpty, let suffix = rules.keys.filter({ number.hasSuffix($0) }).max(by: { $0.count < $1.count }) {
            return rules[suffix]!
        }
        let failures = configuration.reports.failureStatuses
        if !failures.isEmpty, random.chance(configuration.reports.failureFraction) {
            return failures[Int(random.next() % UInt64(failures.count))]
        }
        return SimulatorCodeTable.delivered
    }

    private func nextMessageID(_ requestID: String) -> String {
        messageCounter += 1
        return "\(requestID)_\(messageCounter)"
    }

    /// A UUID-shaped request ID from the seeded generator (message IDs look like the platform's).
    private func uuid() -> String {
        let high = random.next(), low = random.next()
        let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
        let chars = Array(hex)
        return "\(String(chars[0..<8]))-\(String(chars[8..<12]))-\(String(chars[12..<16]))-\(String(chars[16..<20]))-\(String(chars[20..<32]))"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
