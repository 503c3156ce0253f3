import Foundation

/// The send-window choice stored with a job (SPEC §8): which window applies to which number.
///
/// Text form (for `--send-window`, a job file's `send_window`, the store and `show`):
/// `default`, `HH:MM-HH:MM` or `any`; `init(parsing:)` reads back what `description` writes.
public enum SendWindowSetting: Sendable, Hashable, CustomStringConvertible {
    /// The regional defaults: Chinese mainland numbers (region CN) 08:00-22:00 Asia/Shanghai,
    /// whatever other zone data says; other regions have no window. What a job gets unless
    /// it says otherwise.
    case regionDefaults
    /// One window for every number, in each number's own local time zones.
    case everyNumber(SendWindow)
    /// No window (real-time notices).
    case any

    /// The region whose numbers the regional default covers.
    public static let chineseMainlandRegion = "CN"
    /// The zone the Chinese mainland default is kept in.
    public static let chineseMainlandZone = "Asia/Shanghai"

    /// Reads `default`, `any` (either in any letter case) or `HH:MM-HH:MM`.
    public init(parsing text: String, source: String = "--send-window") throws(SendWindowError) {
        let word = text.trimmingCharacters(in: [" ", "\t"]).lowercased()
        switch word {
        case "default": self = .regionDefaults
        case "any": self = .any
        default:
            guard !word.isEmpty else { throw SendWindowError(source: source, text: text, problem: .notAWindow) }
            self = .everyNumber(try SendWindow(parsing: text, source: source))
        }
    }

    /// `default`, `08:00-22:00` or `any`.
    public var description: String {
        switch self {
        case .regionDefaults: "default"
        case .everyNumber(let window): window.description
        case .any: "any"
        }
    }

    /// The window that applies to a number of `regionCode` with `zoneIDs`, and the zones it is
    /// kept in; nil when no window applies.
    public func rule(regionCode: String, zoneIDs: [String]) -> SendWindowRule? {
        switch self {
        case .regionDefaults:
            regionCode == Self.chineseMainlandRegion ? .chineseMainland : nil
        case .everyNumber(let window):
            SendWindowRule(window: window, zoneIDs: zoneIDs)
        case .any:
            nil
        }
    }
}

/// A window and the time zones a number must be inside it in, all at once.
public struct SendWindowRule: Sendable, Hashable {
    /// The daily window.
    public let window: SendWindow
    /// The zones, as IANA ids; see `SendWindowSchedule` for unknown and missing zones.
    public let zoneIDs: [String]

    /// `window` in every one of `zoneIDs`.
    public init(window: SendWindow, zoneIDs: [String]) {
        self.window = window
        self.zoneIDs = zoneIDs
    }

    /// 08:00-22:00 in Asia/Shanghai.
    public static let chineseMainland = SendWindowRule(
        window: .chineseMainland, zoneIDs: [SendWindowSetting.chineseMainlandZone])
}

extension SendWindowSetting: Codable {
    /// Reads the text form (`default`, `any`, `HH:MM-HH:MM`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try SendWindowSetting(parsing: text, source: "send_window")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Writes the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension SendWindowSetting {
    /// Whether deciding this setting needs each number's time zones (one window in every
    /// number's own local time), rather than its region alone (the regional defaults) or nothing.
    public var needsTimeZones: Bool {
        if case .everyNumber = self { true } else { false }
    }

    /// How the setting reads to a user: `08:00-22:00 in each number's local time`.
    public var explanation: String {
        switch self {
        case .regionDefaults:
            "default: Chinese mainland numbers 08:00-22:00 Beijing time (Asia/Shanghai), other numbers at any hour"
        case .everyNumber(let window):
            "\(window) in each number's local time"
        case .any:
            "any: no send window, every number at any hour"
        }
    }
}
