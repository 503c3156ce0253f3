import Foundation

/// Send-window decisions for one number at a time, without a cache (for `send --at`
/// warnings and one-off checks; a runner deciding for many numbers uses `SendWindowEvaluator`).
///
/// Zones: a number is inside its window only when it is inside in every one of its zones, and
/// its window opens at the first instant at which that holds. Zone rules (offsets and
/// daylight-saving changes) are Foundation's `TimeZone(identifier:)`. A zone id Foundation does
/// not know is left out (the number's other zones still decide); a number left with no zone at
/// all (the non-geographical calling codes such as +800 have no zone data) is kept in UTC, so
/// that a window the user set still holds it to the same hours every day.
public enum SendWindowSchedule {
    /// How many days ahead openings and closings are looked for.
    public static let horizonDays = 8
    /// The zone of a number that has no known zone.
    public static let fallbackZoneID = "UTC"

    /// The decision at `instant` for a number of `regionCode` with `zoneIDs` under `setting`.
    public static func decision(setting: SendWindowSetting, regionCode: String, zoneIDs: [String],
                                at instant: Date) -> SendWindowDecision {
        decision(for: setting.rule(regionCode: regionCode, zoneIDs: zoneIDs), at: instant)
    }

    /// The decision at `instant` under `rule` (nil: no window, always open).
    public static func decision(for rule: SendWindowRule?, at instant: Date) -> SendWindowDecision {
        guard let rule else { return .open(closesAt: nil) }
        var cache: [String: [WindowSpan]?] = [:]
        let now = instant.timeIntervalSince1970
        return SendWindowTimeline.decision(openSpans: openSpans(of: rule, from: now, cache: &cache), at: now)
    }

    /// The spans from `from` over the look-ahead in which `rule` is open in all its zones.
    /// Per-zone spans are kept in `cache` by zone id (nil for an id Foundation does not know),
    /// for other rules with the same window and start.
    static func openSpans(of rule: SendWindowRule, from: Double, cache: inout [String: [WindowSpan]?]) -> [WindowSpan] {
        let until = from + Double(horizonDays * SendWindow.secondsPerDay)
        var result: [WindowSpan]?
        var seen = Set<String>()
        for id in rule.zoneIDs where seen.insert(id).inserted {
            guard let spans = zoneSpans(window: rule.window, zoneID: id, from: from, until: until, cache: &cache) else {
                continue
            }
            result = result.map { SendWindowTimeline.intersection($0, spans) } ?? spans
            if result?.isEmpty == true { break }
        }
        if result == nil {
            result = zoneSpans(window: rule.window, zoneID: fallbackZoneID, from: from, until: until, cache: &cache)
        }
        return result ?? []
    }

    private static func zoneSpans(window: SendWindow, zoneID: String, from: Double, until: Double,
                                  cache: inout [String: [WindowSpan]?]) -> [WindowSpan]? {
        if let known = cache[zoneID] { return known }
        let spans = TimeZone(identifier: zoneID).map {
            SendWindowTimeline.openSpans(of: window, in: $0, from: from, until: until)
        }
        cache[zoneID] = .some(spans)
        return spans
    }
}
