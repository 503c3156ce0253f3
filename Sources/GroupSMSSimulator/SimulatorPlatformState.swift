import Foundation
import GroupSMSModel
import GroupSMSPlatform

/// A fault injected into one request.
enum SimulatorFault: String, Sendable {
    case serverError
    case drop
    case stall
}

/// What the platform decided about an authenticated, well-formed request.
struct SimulatorDecision: Sendable {
    var httpStatus: Int
    var code: String
    var results: [PlatformNumberResult]
    var reports: [StatusReport]
}

/// The simulated account: send budgets, the incoming-rate window, per-number limits, message
/// IDs, the seeded random draws and the request records. One actor, so every request sees a
/// consistent account.
actor SimulatorPlatformState {
    private let configuration: SimulatorConfiguration
    private var random: SeededRandom
    private var limits = SimulatorNumberLimits()
    private var rateWindow: [(time: Date, count: Int)] = []
    private var rateWindowStart = 0
    private var rateWindowSum = 0
    private var day = ""
    private var dayCount = 0
    private var month = ""
    private var monthCount = 0
    private var messageCounter = 0
    private var records: [SimulatorRequestRecord] = []

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        random = SeededRandom(seed: configuration.seed)
    }

    /// Draws the fault and the answer delay of the next authenticated request.
    func drawFault() -> (fault: SimulatorFault?, latency: Double) {
        let range = configuration.latency
        let latency = range.lowerBound + (range.upperBound - range.lowerBound) * random.unit()
        if random.chance(configuration.serverErrorFraction) { return (.serverError, latency) }
        if random.chance(configuration.dropFraction) { return (.drop, latency) }
        if random.chance(configuration.stallFraction) { return (.stall, latency) }
        return (nil, latency)
    }

    /// Applies budgets, flow control, duplicates and per-number limits to a request received at `now`.
    func decide(_ submission: SimulatorSubmission, now: Date) -> SimulatorDecision {
        let createTime = PlatformTimestamp.iso(now)
        var firstSeen: [(group: SimulatorSubmission.Group, number: String)] = []
        var isRepeat: [Bool] = []
        for group in submission.groups {
            var seen = Set<String>()
            for number in group.numbers {
                let first = seen.insert(number).inserted
                isRepeat.append(!first)
                if first { firstSeen.append((group, number)) }
            }
        }
        let count = firstSeen.count
        rollBudgets(now)
        if let limit = configuration.dailyLimit, dayCount + count > limit {
            return SimulatorDecision(httpStatus: 400, code: "E000623", results: [], reports: [])
        }
        if let limit = configuration.monthlyLimit, monthCount + count > limit {
            return SimulatorDecision(httpStatus: 400, code: "E000623", results: [], reports: [])
        }
        let flowControlled = !admitRate(count, now: now)
        if !flowControlled {
            dayCount += count
            monthCount += count
        }
        let requestID = uuid()
        var results: [PlatformNumberResult] = []
        var reports: [StatusReport] = []
        results.reserveCapacity(isRepeat.count)
        let reportTime = PlatformTimestamp.iso(now.addingTimeInterval(configuration.reports.delay))
        var index = 0
        for group in submission.groups {
            for number in group.numbers {
                defer { index += 1 }
                messageCounter += 1
                let id = "\(requestID)_\(messageCounter)"
                let status = isRepeat[index] ? "E200041" : flowControlled ? PlatformCodeCatalogue.flowControlCode : "000000"
                results.append(PlatformNumberResult(smsMsgId: id, from: submission.from, originTo: number,
                                                    status: status, createTime: createTime))
                guard status == "000000" else { continue }
                let limited = configuration.enforceNumberLimits
                    ? limits.admit(number, contentKey: group.contentKey, now: now) : nil
                guard submission.statusCallback != nil, configuration.reports.enabled else { continue }
                let reportStatus = limited ?? mixStatus(for: number)
                let platformMade = reportStatus.hasPrefix("E") || reportStatus.hasPrefix("SC:")
                reports.append(StatusReport(
                    smsMsgId: id, status: reportStatus, total: 1, sequence: 1, source: platformMade ? "1" : "2", updateTime: reportTime,
                    extend: submission.extend, to: submission.extend == nil ? nil : number))
            }
        }
        let allAccepted = results.allSatisfy(\.isAccepted)
        return SimulatorDecision(httpStatus: allAccepted ? 200 : 400,
                                 code: allAccepted ? "000000" : PlatformCodeCatalogue.perNumberCode,
                                 results: results, reports: reports)
    }

    func record(_ record: SimulatorRequestRecord) {
        if configuration.keepRecords { records.append(record) }
    }

    func allRecords() -> [SimulatorRequestRecord] { records }

    /// Admits `count` numbers into the sliding one-second window unless that passes `maxRate`.
    private func admitRate(_ count: Int, now: Date) -> Bool {
        while rateWindowStart < rateWindow.count, now.timeIntervalSince(rateWindow[rateWindowStart].time) >= 1 {
            rateWindowSum -= rateWindow[rateWindowStart].count
            rateWindowStart += 1
        }
        if rateWindowStart > 1024 {
            rateWindow.removeFirst(rateWindowStart)
            rateWindowStart = 0
        }
        if let limit = configuration.maxRate, rateWindowSum + count > limit { return false }
        rateWindow.append((now, count))
        rateWindowSum += count
        return true
    }

    private func rollBudgets(_ now: Date) {
        let stamp = PlatformTimestamp.iso(now)
        let today = String(stamp.prefix(10))
        let thisMonth = String(stamp.prefix(7))
        if today != day { day = today; dayCount = 0 }
        if thisMonth != month { month = thisMonth; monthCount = 0 }
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
        return PlatformCodeCatalogue.deliveredStatus
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
