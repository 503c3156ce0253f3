import Foundation

/// What the estimate counts for each recipient.
public enum EstimateContent: Sendable {
    /// A catalogue template whose parameters are fixed (or absent): every recipient gets this
    /// content, so it is counted once per counting region.
    case fixed(content: String)
    /// A catalogue template whose values are not known yet: each variable at its maximum length
    /// (FAQ 11.6), so the estimate never falls below what is billed.
    case worstCase(TemplateText)
    /// A catalogue template with values per recipient (`--variables columns`): call
    /// `add(regionCode:values:)` for each recipient.
    case perRecipient(MessageTemplate)
    /// A template not in the catalogue: nothing can be checked or counted; each number counts one
    /// segment, a lower bound the note states.
    case notInCatalogue(templateID: String)
}

/// Accumulates an `Estimate` recipient by recipient, in constant memory: it keeps counts per
/// region, never the texts, and counts a shared text once per counting region.
public struct EstimateBuilder: Sendable {
    private let content: EstimateContent
    private let signature: SignatureName?
    private let prices: PriceTable?
    /// The text every recipient shares: what is counted, and what the preview shows.
    private let shared: (counted: String, shown: String)?
    private var regions: [String: Estimate.RegionTotal] = [:]
    private var sharedCounts: [MessageRegion: (SegmentCount, [NonGSMCharacter])] = [:]
    private var segmentRange: Estimate.SegmentRange?
    private var preview: (text: String, encoding: MessageEncoding)?
    private var nonGSM = OrderedNonGSMCharacters()
    /// Whether a recipient of a `perRecipient` template was counted without its values.
    private var countedWithoutValues = false

    /// Starts an estimate for `content`; `signature` opens mainland messages, `prices` gives cost.
    public init(content: EstimateContent, signature: SignatureName?, prices: PriceTable?) {
        self.content = content
        self.signature = signature
        self.prices = prices
        switch content {
        case .fixed(let text): shared = (text, text)
        case .worstCase(let template): shared = (template.worstCaseContent, template.source)
        case .perRecipient(let template): shared = (template.text.worstCaseContent, template.text.source)
        case .notInCatalogue: shared = nil
        }
    }

    /// Adds `numbers` recipients in `regionCode` that get the shared content. With `perRecipient`
    /// content this counts the template's worst case; prefer `add(regionCode:values:)` there.
    public mutating func add(regionCode: String, numbers: Int = 1) {
        let region = MessageRegion(regionCode: regionCode)
        guard let shared else { return record(regionCode: regionCode, numbers: numbers, count: Self.unknownCount) }
        let (count, characters) = sharedCount(shared.counted, region: region)
        if case .perRecipient = content { countedWithoutValues = true }
        record(regionCode: regionCode, numbers: numbers, count: count)
        if preview == nil {
            preview = (SegmentCounter.message(content: shared.shown, region: region, signature: signature), count.encoding)
        }
        nonGSM.add(characters)
    }

    /// Adds one recipient in `regionCode` with its own `values`, checking them against the
    /// template first; a misfit throws and adds nothing (the caller reports the row as invalid).
    /// Without a `perRecipient` template the values are ignored and the shared content is used.
    /// `numbers` recipients that share the values are counted with one rendering.
    public mutating func add(regionCode: String, values: [String], numbers: Int = 1) throws(TemplateError) {
        guard case .perRecipient(let template) = content else { return add(regionCode: regionCode, numbers: numbers) }
        let region = MessageRegion(regionCode: regionCode)
        let message = SegmentCounter.message(content: try template.render(values), region: region, signature: signature)
        let count = SegmentCounter.count(message, region: region)
        record(regionCode: regionCode, numbers: numbers, count: count)
        if preview == nil { preview = (message, count.encoding) }
        if count.encoding == .ucs2 { nonGSM.add(GSM7LookAlikes.nonGSMCharacters(in: message)) }
    }

    /// The estimate so far, with the import's `invalid`, `duplicates` and `suppressed` counts.
    public func build(invalid: Int, duplicates: Int, suppressed: Int) -> Estimate {
        let totals = pricedTotals()
        let (cost, costNote) = totalCost(totals)
        return Estimate(
            numbers: totals.reduce(0) { $0 + $1.numbers }, invalid: invalid, duplicates: duplicates,
            suppressed: suppressed, templateChecked: templateChecked, templateCheckNote: templateCheckNote,
            preview: preview?.text, encoding: preview?.encoding, nonGsmCharacters: nonGSM.characters,
            segmentsPerMessage: segmentRange ?? .init(min: 0, max: 0),
            segments: totals.reduce(0) { $0 + $1.segments }, byRegion: totals, cost: cost, costNote: costNote)
    }

    private static let worstCaseNote = "parameter values are not known: each variable is counted at its maximum length"

    /// One segment: the least any message costs, for a text we cannot see.
    private static let unknownCount = SegmentCount(encoding: .gsm7, units: 0, segments: 1)

    private mutating func sharedCount(_ content: String, region: MessageRegion) -> (SegmentCount, [NonGSMCharacter]) {
        if let known = sharedCounts[region] { return known }
        let message = SegmentCounter.message(content: content, region: region, signature: signature)
        let count = SegmentCounter.count(message, region: region)
        let characters = count.encoding == .ucs2 ? GSM7LookAlikes.nonGSMCharacters(in: message) : []
        sharedCounts[region] = (count, characters)
        return (count, characters)
    }

    private mutating func record(regionCode: String, numbers: Int, count: SegmentCount) {
        guard numbers > 0 else { return }
        let code = regionCode.uppercased()
        var total = regions[code] ?? .init(region: code, numbers: 0, segments: 0, cost: nil)
        total.numbers += numbers
        total.segments += numbers * count.segments
        regions[code] = total
        let range = segmentRange ?? .init(min: count.segments, max: count.segments)
        segmentRange = .init(min: Swift.min(range.min, count.segments), max: Swift.max(range.max, count.segments))
    }

    private var templateChecked: Bool {
        if case .notInCatalogue = content { false } else { true }
    }

    private var templateCheckNote: String? {
        switch content {
        case .fixed:
            nil
        case .perRecipient:
            countedWithoutValues ? Self.worstCaseNote : nil
        case .worstCase:
            Self.worstCaseNote
        case .notInCatalogue(let id):
            "template \(id) is not in the local catalogue, so its text and parameters were not checked " +
                "and each number is counted as 1 segment, a lower bound; add it with " +
                "`groupsms template add \(id) --text TEXT` to check and count it"
        }
    }

    /// The region totals ordered by region code, each with its cost when priced.
    private func pricedTotals() -> [Estimate.RegionTotal] {
        regions.values.sorted { $0.region < $1.region }.map { total in
            var priced = total
            priced.cost = prices?.cost(segments: total.segments, regionCode: total.region)
            return priced
        }
    }

    /// The sum of the region costs, or nil with the reason when a region has no price.
    private func totalCost(_ totals: [Estimate.RegionTotal]) -> (Estimate.Money?, String?) {
        guard let prices else { return (nil, nil) }
        let unpriced = totals.filter { $0.cost == nil }.map(\.region)
        guard unpriced.isEmpty else {
            let list = unpriced.joined(separator: ", ")
            return (nil, "no price for \(list) in the price table; add a row for \(list) or a * row")
        }
        let amount = totals.reduce(Decimal(0)) { $0 + ($1.cost ?? 0) }
        return (Estimate.Money(amount: amount, currency: prices.currency), nil)
    }
}

/// Distinct non-GSM characters in order of first appearance, over all messages.
private struct OrderedNonGSMCharacters: Sendable {
    private(set) var characters: [NonGSMCharacter] = []
    private var seen: Set<String> = []

    mutating func add(_ found: [NonGSMCharacter]) {
        for entry in found where seen.insert(entry.character).inserted {
            characters.append(entry)
        }
    }
}
