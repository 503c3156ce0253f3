import Foundation

/// Send-window decisions for many numbers at one instant, remembered per zone set.
///
/// A job's numbers share few zone sets (hundreds at most, against up to a million numbers), so
/// each set's decision is worked out once and then looked up. Make one evaluator per instant
/// (a runner's tick); it is a value, so each task that decides owns its own.
public struct SendWindowEvaluator: Sendable {
    /// The job's send-window setting.
    public let setting: SendWindowSetting
    /// The instant decided for.
    public let instant: Date

    private let now: Double
    private var decisionsByZoneIDs: [[String]: SendWindowDecision] = [:]
    private var chineseMainlandDecision: SendWindowDecision?
    /// Per-zone open spans of the setting's window (everyNumber only; one window per evaluator).
    private var spansByZoneID: [String: [WindowSpan]?] = [:]

    /// An evaluator for `setting` at `instant`.
    public init(setting: SendWindowSetting, at instant: Date) {
        self.setting = setting
        self.instant = instant
        now = instant.timeIntervalSince1970
    }

    /// How many zone sets have been worked out so far.
    public var rememberedZoneSets: Int { decisionsByZoneIDs.count + (chineseMainlandDecision == nil ? 0 : 1) }

    /// The decision for a number of `regionCode` ("CN") whose zones are `zoneIDs`.
    public mutating func decision(regionCode: String, zoneIDs: [String]) -> SendWindowDecision {
        switch setting {
        case .any:
            return .open(closesAt: nil)
        case .regionDefaults:
            guard regionCode == SendWindowSetting.chineseMainlandRegion else { return .open(closesAt: nil) }
            if let known = chineseMainlandDecision { return known }
            var cache: [String: [WindowSpan]?] = [:]
            let decided = decide(.chineseMainland, cache: &cache)
            chineseMainlandDecision = decided
            return decided
        case .everyNumber(let window):
            if let known = decisionsByZoneIDs[zoneIDs] { return known }
            let decided = decide(SendWindowRule(window: window, zoneIDs: zoneIDs), cache: &spansByZoneID)
            decisionsByZoneIDs[zoneIDs] = decided
            return decided
        }
    }

    private func decide(_ rule: SendWindowRule, cache: inout [String: [WindowSpan]?]) -> SendWindowDecision {
        let spans = SendWindowSchedule.openSpans(of: rule, from: now, cache: &cache)
        return SendWindowTimeline.decision(openSpans: spans, at: now)
    }
}
