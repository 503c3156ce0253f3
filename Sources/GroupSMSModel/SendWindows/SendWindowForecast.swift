import Foundation

/// How a job's numbers stand against their send windows at its start (SPEC §8): how many must
/// wait, and from when until when they go. `send --at`, `submit` and `send --dry-run` warn
/// with `warning`; `--dry-run --json` can embed the value as it encodes.
public struct SendWindowForecast: Sendable, Hashable, Encodable {
    /// The job's setting.
    public var setting: SendWindowSetting
    /// The start looked at.
    public var start: Date
    /// The job's deadline, if any.
    public var sendBy: Date?
    /// Numbers looked at.
    public var numbers: Int
    /// Numbers outside their window at the start: postponed, not dropped.
    public var postponed: Int
    /// The earliest and latest instants at which postponed numbers' windows open.
    public var firstOpening: Date?
    public var lastOpening: Date?
    /// Postponed numbers whose zones are never all inside the window at once in the look-ahead.
    public var neverOpening: Int
    /// Postponed numbers whose window opens only at or after the deadline: they will fail then.
    public var pastDeadline: Int

    /// The forecast for `numbers` (E.164) of a job with `setting` and `sendBy` starting at
    /// `start`. `zones` places numbers in their zones when the setting needs it (see `SendWindowGate`).
    public init(numbers: some Collection<String>, setting: SendWindowSetting, sendBy: Date? = nil, start: Date,
                zones: (any NumberZoneLookup)?) {
        self.setting = setting
        self.start = start
        self.sendBy = sendBy
        self.numbers = numbers.count
        postponed = 0
        neverOpening = 0
        pastDeadline = 0
        guard setting != .any else { return }
        var counts: [NumberZones: Int] = [:]
        for number in numbers {
            counts[SendWindowGate.place(of: number, setting: setting, zones: zones), default: 0] += 1
        }
        var evaluator = SendWindowEvaluator(setting: setting, at: start)
        for (place, count) in counts {
            switch evaluator.decision(regionCode: place.regionCode, zoneIDs: place.zoneIDs) {
            case .open:
                continue
            case .closed(let opensAt):
                postponed += count
                firstOpening = min(firstOpening ?? opensAt, opensAt)
                lastOpening = max(lastOpening ?? opensAt, opensAt)
                if let sendBy, opensAt >= sendBy { pastDeadline += count }
            case .neverOpens:
                postponed += count
                neverOpening += count
            }
        }
    }

    /// A sentence for standard error when some numbers must wait, else nil:
    /// `the start ... is outside the send window of 300 of 1000 numbers (...); they are
    /// postponed, not dropped, and go from ... to ...`.
    public var warning: String? {
        guard postponed > 0 else { return nil }
        var text = "the start \(ISOTimeText.utc(start)) is outside the send window of \(postponed) of \(numbers) numbers "
            + "(\(setting.explanation)); they are postponed, not dropped"
        if let first = firstOpening, let last = lastOpening {
            text += first == last ? ", and go at \(ISOTimeText.utc(first))"
                : ", and go from \(ISOTimeText.utc(first)) to \(ISOTimeText.utc(last)) as their windows open"
        }
        if neverOpening > 0 {
            text += "; \(neverOpening) numbers have time zones that are never all inside the window at once, "
                + "so they wait until the zones' windows overlap" + (sendBy == nil ? "" : " or the deadline")
        }
        if let sendBy, pastDeadline > 0 {
            text += "; \(pastDeadline) numbers' windows open only after --send-by \(ISOTimeText.utc(sendBy)), "
                + "so they will fail then (retryable SEND_WINDOW)"
        }
        return text
    }

    private enum Keys: String, CodingKey {
        case window, start, sendBy, numbers, postponed, firstOpening, lastOpening, neverOpening, pastDeadline, warning
    }

    /// `{"window","start","sendBy","numbers","postponed","firstOpening","lastOpening",
    /// "neverOpening","pastDeadline","warning"}`; times are ISO 8601 UTC strings or null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(setting.description, forKey: .window)
        try container.encode(ISOTimeText.utc(start), forKey: .start)
        try container.encode(sendBy.map(ISOTimeText.utc), forKey: .sendBy)
        try container.encode(numbers, forKey: .numbers)
        try container.encode(postponed, forKey: .postponed)
        try container.encode(firstOpening.map(ISOTimeText.utc), forKey: .firstOpening)
        try container.encode(lastOpening.map(ISOTimeText.utc), forKey: .lastOpening)
        try container.encode(neverOpening, forKey: .neverOpening)
        try container.encode(pastDeadline, forKey: .pastDeadline)
        try container.encode(warning, forKey: .warning)
    }
}
