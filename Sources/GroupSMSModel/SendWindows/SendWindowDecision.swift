import Foundation

/// Whether a number may be sent to at an instant, under its send window (SPEC §8).
public enum SendWindowDecision: Sendable, Hashable {
    /// Inside the window in all the number's zones. `closesAt` is when that first stops being
    /// true (nil when no window applies, so it never closes); the look-ahead
    /// (`SendWindowSchedule.horizonDays`) bounds it.
    case open(closesAt: Date?)
    /// Outside the window; `opensAt` is the first instant at which it is open in all zones.
    case closed(opensAt: Date)
    /// The window is not open in all the number's zones at once at any instant of the
    /// look-ahead (`SendWindowSchedule.horizonDays` days): the zones' windows do not overlap.
    /// Daylight-saving changes can make them overlap later, so a runner that keeps such a
    /// number waiting should evaluate it again after the look-ahead.
    case neverOpens

    /// Whether the number may be sent to now.
    public var isOpen: Bool {
        if case .open = self { true } else { false }
    }

    /// When the number may next be sent to: nil when it may be sent to now or never opens.
    public var opensAt: Date? {
        if case .closed(let opensAt) = self { opensAt } else { nil }
    }
}
