import Foundation

/// What a job's send window and deadline say about one queued number at one instant.
public enum SendWindowVerdict: Sendable, Hashable {
    /// Inside its window (or no window applies): the suppression list and the frequency
    /// limits decide next.
    case send
    /// Outside its window: keep it in the job, deferred with reason SEND_WINDOW until `until`:
    /// its window's opening, or the job's deadline when that comes first (it fails then), or,
    /// for zones whose windows never overlap, the end of the look-ahead, when it is decided again.
    case wait(until: Date)
    /// The job's `--send-by` deadline has passed: fail it, retryable, with code SEND_WINDOW.
    case expire(description: String)
}

/// Decides the send windows of a job's queued numbers at one instant: one gate per claim.
///
/// A claim meets hundreds of numbers and only a handful of zone sets, so the verdict is worked
/// out once per zone set (`SendWindowEvaluator`). The frequency limits' `--max-defer` never
/// applies here: a number waits for its window however long that is, unless the job's
/// deadline (`sendBy`) comes first (SPEC §8). From the deadline on every number the gate
/// meets fails, inside its window or not: `--send-by` means nothing goes after it.
public struct SendWindowGate: Sendable {
    /// The reason code of a number held for its send window, and of one failed at the deadline.
    public static let reasonCode = "SEND_WINDOW"

    /// The job's setting.
    public let setting: SendWindowSetting
    /// The job's deadline, if any.
    public let sendBy: Date?
    /// The instant decided for.
    public let instant: Date

    private let zones: (any NumberZoneLookup)?
    private var evaluator: SendWindowEvaluator
    private var verdicts: [NumberZones: SendWindowVerdict] = [:]

    /// A gate for a job with `setting` and `sendBy` at `instant`. `zones` places numbers in
    /// their time zones when the setting needs that (one window in each number's local time);
    /// without it only +86 numbers have a region and every other number is kept in UTC.
    public init(setting: SendWindowSetting, sendBy: Date?, at instant: Date, zones: (any NumberZoneLookup)?) {
        self.setting = setting
        self.sendBy = sendBy
        self.instant = instant
        self.zones = zones
        evaluator = SendWindowEvaluator(setting: setting, at: instant)
    }

    /// Whether the gate can hold or fail any number (false: no window and no deadline).
    public var isActive: Bool { setting != .any || sendBy != nil }

    /// How many zone sets have been decided so far.
    public var decidedZoneSets: Int { verdicts.count }

    /// The verdict for the number `e164`.
    public mutating func verdict(forE164 e164: String) -> SendWindowVerdict {
        if let sendBy, instant >= sendBy {
            return .expire(description: "not sent by the job's deadline (--send-by \(ISOTimeText.utc(sendBy))); "
                           + "send it again with `groupsms rerun`")
        }
        guard setting != .any else { return .send }
        let place = Self.place(of: e164, setting: setting, zones: zones)
        if let known = verdicts[place] { return known }
        let decided = verdict(for: place)
        verdicts[place] = decided
        return decided
    }

    /// What `setting` needs to know of a number: its zones from `zones` for one window in local
    /// time, else only the region its calling code gives (no lookup, so no cost per number).
    static func place(of e164: String, setting: SendWindowSetting, zones: (any NumberZoneLookup)?) -> NumberZones {
        setting.needsTimeZones ? zones?.zones(ofE164: e164) ?? .callingCodeOnly(e164: e164) : .callingCodeOnly(e164: e164)
    }

    private mutating func verdict(for place: NumberZones) -> SendWindowVerdict {
        guard setting.rule(regionCode: place.regionCode, zoneIDs: place.zoneIDs) != nil else { return .send }
        switch evaluator.decision(regionCode: place.regionCode, zoneIDs: place.zoneIDs) {
        case .open:
            return .send
        case .closed(let opensAt):
            return .wait(until: sendBy.map { min($0, opensAt) } ?? opensAt)
        case .neverOpens:
            let recheck = instant.addingTimeInterval(Double(SendWindowSchedule.horizonDays * SendWindow.secondsPerDay))
            return .wait(until: sendBy.map { min($0, recheck) } ?? recheck)
        }
    }
}
