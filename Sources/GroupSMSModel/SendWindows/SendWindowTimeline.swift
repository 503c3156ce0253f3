import Foundation

/// A half-open span of time, [start, end), in seconds since 1970.
struct WindowSpan: Sendable, Hashable {
    var start: Double
    var end: Double
}

/// The arithmetic of windows in zones: when a window is open in one zone, and in several.
///
/// A zone's UTC offset is constant between its transitions (Foundation's zone rules), so
/// within each such stretch the open spans follow from the offset alone; cutting at the
/// transitions is what makes an 08:00 opening a different UTC instant either side of a
/// daylight-saving change, and what makes a spring-forward gap open at its first local time.
enum SendWindowTimeline {
    /// The spans of [from, until) in which `window` is open in `zone`, merged and in order.
    static func openSpans(of window: SendWindow, in zone: TimeZone, from: Double, until: Double) -> [WindowSpan] {
        var spans: [WindowSpan] = []
        for (stretch, offset) in constantOffsetStretches(of: zone, from: from, until: until) {
            appendOpenSpans(of: window, offset: offset, within: stretch, to: &spans)
        }
        return spans
    }

    /// [from, until) cut at the zone's offset changes, each piece with its UTC offset in seconds.
    static func constantOffsetStretches(of zone: TimeZone, from: Double,
                                        until: Double) -> [(stretch: WindowSpan, offset: Double)] {
        var stretches: [(stretch: WindowSpan, offset: Double)] = []
        var start = from
        while start < until {
            let instant = Date(timeIntervalSince1970: start)
            let offset = Double(zone.secondsFromGMT(for: instant))
            var end = until
            if let next = zone.nextDaylightSavingTimeTransition(after: instant)?.timeIntervalSince1970,
               next > start, next < until {
                end = next
            }
            stretches.append((WindowSpan(start: start, end: end), offset))
            start = end
        }
        return stretches
    }

    /// Appends the open spans inside `stretch`, where local time is UTC + `offset`.
    private static func appendOpenSpans(of window: SendWindow, offset: Double, within stretch: WindowSpan,
                                        to spans: inout [WindowSpan]) {
        let day = Double(SendWindow.secondsPerDay)
        let opening = Double(window.startMinute * 60)
        let closing = Double(window.endMinute * 60) + (window.wrapsMidnight ? day : 0)
        // The local day before the first one counts too: a wrapping window opened then.
        var localDay = ((stretch.start + offset) / day).rounded(.down) - 1
        let lastLocalDay = ((stretch.end + offset) / day).rounded(.down)
        while localDay <= lastLocalDay {
            let midnight = localDay * day - offset
            let span = WindowSpan(start: max(midnight + opening, stretch.start), end: min(midnight + closing, stretch.end))
            if span.start < span.end { append(span, to: &spans) }
            localDay += 1
        }
    }

    /// Appends `span` (starting no earlier than the last one), joining it to a span it touches.
    private static func append(_ span: WindowSpan, to spans: inout [WindowSpan]) {
        if let last = spans.indices.last, span.start <= spans[last].end {
            spans[last].end = max(spans[last].end, span.end)
        } else {
            spans.append(span)
        }
    }

    /// The spans in which both `a` and `b` are open (both ordered and disjoint).
    static func intersection(_ a: [WindowSpan], _ b: [WindowSpan]) -> [WindowSpan] {
        var result: [WindowSpan] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let span = WindowSpan(start: max(a[i].start, b[j].start), end: min(a[i].end, b[j].end))
            if span.start < span.end { result.append(span) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return result
    }

    /// The decision at `now` given the spans, from `now` on, in which the window is open.
    static func decision(openSpans spans: [WindowSpan], at now: Double) -> SendWindowDecision {
        guard let first = spans.first(where: { $0.end > now }) else { return .neverOpens }
        return first.start <= now
            ? .open(closesAt: Date(timeIntervalSince1970: first.end))
            : .closed(opensAt: Date(timeIntervalSince1970: first.start))
    }
}
