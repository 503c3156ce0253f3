import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers
import GroupSMSStore

extension JobPreflight {
    /// Checks `draft` against `store`'s template catalogue and suppression list, and returns
    /// the draft to create: settings resolved and the estimate attached. Throws the
    /// `TemplateError` of a parameter or signature that does not fit; nothing is stored.
    /// `numbersByRegion` is the import's count (`RecipientImportReport.numbersByRegion`); nil
    /// counts the draft's numbers again (a rerun). Without a store (a dry run before any data
    /// dir exists) the catalogue and the suppression list are empty. A `template` given (a job
    /// file's `template_text`) is checked instead of the catalogue's.
    public static func prepare(_ draft: JobDraft, numbersByRegion: [String: Int]?, duplicates: Int,
                               store: (any JobStoring)?, prices: PriceTable?,
                               template given: MessageTemplate? = nil) async throws -> JobDraft {
        var template = given
        if template == nil { template = try await store?.template(id: draft.templateID)?.template }
        let suppressionList = try await store?.suppressionEntries(among: nil) ?? [:]
        return try apply(to: draft, template: template, suppressionList: suppressionList,
                         numbersByRegion: numbersByRegion, duplicates: duplicates, prices: prices)
    }

    /// The synchronous core of `prepare`, for callers that already hold the catalogue template
    /// and the suppression list (a rerun, inside the store's own step).
    public static func apply(to draft: JobDraft, template: MessageTemplate?,
                             suppressionList: [String: SuppressionEntry], numbersByRegion: [String: Int]?,
                             duplicates: Int, prices: PriceTable?) throws -> JobDraft {
        let audience = try audience(of: draft, numbersByRegion: numbersByRegion, duplicates: duplicates,
                                    suppressionList: suppressionList)
        let preflight = try check(draft.settings, template: template, audience: audience, prices: prices)
        var prepared = draft
        prepared.settings = preflight.settings
        prepared.estimate = preflight.estimate
        return prepared
    }

    /// Who `draft` goes to: its numbers by region, less those on the suppression list.
    static func audience(of draft: JobDraft, numbersByRegion: [String: Int]?, duplicates: Int,
                         suppressionList: [String: SuppressionEntry]) throws -> Audience {
        let normalizer = try PhoneNumberNormalizer(defaultRegion: draft.defaultCountry)
        func region(_ e164: String) -> String {
            guard case .valid(let number) = normalizer.normalize(text: e164) else { return "ZZ" }
            return number.regionCode
        }
        var byRegion: [String: Int] = [:]
        var suppressed = 0
        if let numbersByRegion {
            byRegion = numbersByRegion
            for number in draft.numbers where suppressionList[number.e164] != nil {
                suppressed += 1
                byRegion[region(number.e164), default: 0] -= 1
            }
            byRegion = byRegion.filter { $0.value > 0 }
        } else {
            for number in draft.numbers {
                if suppressionList[number.e164] != nil { suppressed += 1 } else { byRegion[region(number.e164), default: 0] += 1 }
            }
        }
        let first = draft.numbers.first { suppressionList[$0.e164] == nil }.map { region($0.e164) }
        var audience = Audience(numbersByRegion: byRegion, invalid: draft.rejected.count, duplicates: duplicates,
                                suppressed: suppressed, firstRegion: first)
        if let values = draft.values {
            audience.personalised = valueShares(draft, values: values, suppressionList: suppressionList, region: region)
        }
        return audience
    }

    /// A personalised draft's numbers grouped by (values, region), in order of first
    /// appearance, so each distinct text is rendered and counted once.
    static func valueShares(_ draft: JobDraft, values: RecipientValues, suppressionList: [String: SuppressionEntry],
                            region: (String) -> String) -> [Audience.ValueShare] {
        struct Key: Hashable { let set: UInt32; let region: String }
        var order: [Key] = []
        var counts: [Key: Int] = [:]
        for (position, number) in draft.numbers.enumerated() where suppressionList[number.e164] == nil {
            let key = Key(set: values.valueSetIndices[position], region: region(number.e164))
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.map {
            Audience.ValueShare(values: values.valueSets.values(at: Int($0.set)), region: $0.region, numbers: counts[$0] ?? 0)
        }
    }

    /// Reruns job `id` (see `JobStore.rerunJob`) after checking its settings against the
    /// catalogue as it is now, with the rerun's own estimate.
    public static func rerun(_ id: JobID, includeUnconfirmed: Bool, name: String?, scheduledAt: Date?,
                             sendBy: Date? = nil, runner: RunnerLease? = nil, store: any JobStoring) async throws -> RerunResult {
        let original = try await store.job(id)
        let template = try await store.template(id: original.templateID)?.template
        let suppressionList = try await store.suppressionEntries(among: nil)
        let prices = try PriceTable.load(file: nil, dataDirectory: store.dataDirectory)
        return try await store.rerunJob(id, includeUnconfirmed: includeUnconfirmed, name: name,
                                        scheduledAt: scheduledAt, sendBy: sendBy, runner: runner) { draft in
            try apply(to: draft, template: template, suppressionList: suppressionList, numbersByRegion: nil,
                      duplicates: 0, prices: prices)
        }
    }
}
