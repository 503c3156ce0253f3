import Foundation

/// What a job would send and cost, before anything is sent: the object `send --dry-run --json`
/// prints (SPEC §6), stored with the job and repeated by `show`.
///
/// JSON decisions: keys are written sorted (`jsonText()`), so the output is byte-stable; `preview`,
/// `encoding`, `cost` and a region's `cost` are written as `null` when unknown, the notes are left
/// out when there is nothing to say. Money is `Decimal`, rounded up to the currency's minor unit
/// (`CurrencyPrecision`) and written as a JSON number, which carries no trailing zeros (`5.00`
/// is written `5`); the text rendering writes every decimal place.
public struct Estimate: Sendable, Hashable, Codable {
    /// Fewest and most segments one message takes over the recipients.
    public struct SegmentRange: Sendable, Hashable, Codable {
        /// Fewest segments of one message.
        public var min: Int
        /// Most segments of one message.
        public var max: Int

        /// Creates a range.
        public init(min: Int, max: Int) {
            self.min = min
            self.max = max
        }
    }

    /// Numbers, segments and cost to one ISO region.
    public struct RegionTotal: Sendable, Hashable, Codable {
        /// ISO region code of the numbers (`CN`, `GB`, ...).
        public var region: String
        /// Numbers that would be sent to.
        public var numbers: Int
        /// Segments over those numbers.
        public var segments: Int
        /// Cost of those segments in the price table's currency; nil without a price.
        public var cost: Decimal?

        /// Creates a region's totals.
        public init(region: String, numbers: Int, segments: Int, cost: Decimal?) {
            self.region = region
            self.numbers = numbers
            self.segments = segments
            self.cost = cost
        }

        /// Writes `cost` as `null` when it is unknown.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(region, forKey: .region)
            try container.encode(numbers, forKey: .numbers)
            try container.encode(segments, forKey: .segments)
            try container.encode(cost, forKey: .cost)
        }
    }

    /// An amount of money.
    public struct Money: Sendable, Hashable, Codable {
        /// The amount, rounded up to the currency's minor unit.
        public var amount: Decimal
        /// ISO 4217 currency code.
        public var currency: String

        /// Creates an amount.
        public init(amount: Decimal, currency: String) {
            self.amount = amount
            self.currency = currency
        }
    }

    /// Numbers that would be sent to (valid, distinct, not suppressed).
    public var numbers: Int
    /// Entries refused as invalid.
    public var invalid: Int
    /// Entries dropped as repeats of an earlier number.
    public var duplicates: Int
    /// Numbers left out because they must not be sent to (frequency limits, opt-outs).
    public var suppressed: Int
    /// Whether the template was in the local catalogue, so text and parameters were checked.
    public var templateChecked: Bool
    /// Why the check or the count is limited (template not in the catalogue, values unknown).
    public var templateCheckNote: String?
    /// The first recipient's message as sent (mainland: with `【signature】`); nil when unknown.
    public var preview: String?
    /// The first recipient's message encoding; nil when the text is unknown.
    public var encoding: MessageEncoding?
    /// Characters that forced any international message into UCS-2, first seen first.
    public var nonGsmCharacters: [NonGSMCharacter]
    /// Segments per message over the recipients.
    public var segmentsPerMessage: SegmentRange
    /// Segments over every number that would be sent.
    public var segments: Int
    /// Totals per ISO region, ordered by region code.
    public var byRegion: [RegionTotal]
    /// Total cost; nil without a price table or when a region has no price.
    public var cost: Money?
    /// Why `cost` is nil although a price table was given (regions without a price).
    public var costNote: String?

    /// The JSON object of `send --dry-run --json`, keys sorted, `/` not escaped.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    enum CodingKeys: String, CodingKey {
        case numbers, invalid, duplicates, suppressed, templateChecked, templateCheckNote, preview
        case encoding, nonGsmCharacters, segmentsPerMessage, segments, byRegion, cost, costNote
    }

    /// Writes unknown `preview`, `encoding` and `cost` as `null`; leaves out absent notes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(numbers, forKey: .numbers)
        try container.encode(invalid, forKey: .invalid)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encode(suppressed, forKey: .suppressed)
        try container.encode(templateChecked, forKey: .templateChecked)
        try container.encodeIfPresent(templateCheckNote, forKey: .templateCheckNote)
        try container.encode(preview, forKey: .preview)
        try container.encode(encoding, forKey: .encoding)
        try container.encode(nonGsmCharacters, forKey: .nonGsmCharacters)
        try container.encode(segmentsPerMessage, forKey: .segmentsPerMessage)
        try container.encode(segments, forKey: .segments)
        try container.encode(byRegion, forKey: .byRegion)
        try container.encode(cost, forKey: .cost)
        try container.encodeIfPresent(costNote, forKey: .costNote)
    }
}
