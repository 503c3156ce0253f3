import Foundation
import GroupSMSModel

/// The checks and the estimate every job gets before it is created (SPEC §6): a pure decision
/// over the job's settings, its catalogue template and who it goes to.
///
/// With a catalogue template the parameters must fit its variables and a notification or
/// promotion template to Chinese mainland numbers must have a signature; a refusal throws the
/// `TemplateError` that names the variable, the value and the rule. Without one (the template
/// is not in the local catalogue) nothing can be checked and the job goes as the platform
/// decides; the estimate says so (`templateChecked: false`).
public struct JobPreflight: Sendable, Hashable {
    /// The settings to store: as given, with the template's signature filled in when the job
    /// names none, so the platform receives the signature the estimate counted.
    public var settings: JobSettings
    /// What the job would send and cost.
    public var estimate: Estimate

    /// Who a job goes to, as the estimate counts them.
    public struct Audience: Sendable, Hashable {
        /// Numbers that would be sent to, by ISO region code (suppressed numbers left out).
        public var numbersByRegion: [String: Int]
        /// Invalid import entries.
        public var invalid: Int
        /// Entries dropped as repeats.
        public var duplicates: Int
        /// Numbers left out because they are on the suppression list.
        public var suppressed: Int
        /// The region of the first number to send: the preview is that recipient's message.
        public var firstRegion: String?
        /// A personalised job's recipients by values and region, the first recipient's share
        /// first; empty when every number gets the job's parameters.
        public var personalised: [ValueShare] = []

        /// An audience with every count given.
        public init(numbersByRegion: [String: Int], invalid: Int, duplicates: Int, suppressed: Int,
                    firstRegion: String? = nil) {
            self.firstRegion = firstRegion
            self.numbersByRegion = numbersByRegion
            self.invalid = invalid
            self.duplicates = duplicates
            self.suppressed = suppressed
        }

        /// Numbers of one region that get the same values.
        public struct ValueShare: Sendable, Hashable {
            /// The values, in variable order.
            public var values: [String]
            /// ISO region code.
            public var region: String
            /// How many numbers.
            public var numbers: Int

            /// A share of `numbers` numbers.
            public init(values: [String], region: String, numbers: Int) {
                self.values = values
                self.region = region
                self.numbers = numbers
            }
        }

        /// Whether any number to send is a Chinese mainland number.
        public var includesMainland: Bool {
            numbersByRegion.contains { MessageRegion(regionCode: $0.key) == .mainland && $0.value > 0 }
        }
    }

    /// Checks `settings` against `template` (nil: not in the catalogue) for `audience` and
    /// estimates the job, priced with `prices` when given.
    public static func check(_ settings: JobSettings, template: MessageTemplate?, audience: Audience,
                             prices: PriceTable?) throws(TemplateError) -> JobPreflight {
        let jobSignature = try settings.signature.map { name throws(TemplateError) in try SignatureName(name) }
        var resolved = settings
        let content: EstimateContent
        let signature: SignatureName?
        if let template {
            guard template.id == settings.templateID else { throw .invalidTemplateID(settings.templateID) }
            signature = audience.includesMainland
                ? try template.signature(sendingTo: .mainland, jobSignature: jobSignature)
                : jobSignature ?? template.signature
            if audience.personalised.isEmpty {
                try template.check(settings.params)
                content = .fixed(content: try template.render(settings.params))
            } else {
                content = .perRecipient(template)
            }
        } else {
            try TemplateText.checkUnknownTemplate(settings.params)
            signature = jobSignature
            content = .notInCatalogue(templateID: settings.templateID)
        }
        resolved.signature = signature?.value
        var builder = EstimateBuilder(content: content, signature: signature, prices: prices)
        // The first recipient's region goes first: the builder previews the first message it counts.
        let ordered = audience.numbersByRegion.sorted {
            ($0.key == audience.firstRegion ? 0 : 1, $0.key) < ($1.key == audience.firstRegion ? 0 : 1, $1.key)
        }
        if audience.personalised.isEmpty {
            for (region, numbers) in ordered { builder.add(regionCode: region, numbers: numbers) }
        } else {
            for share in audience.personalised {
                try builder.add(regionCode: share.region, values: share.values, numbers: share.numbers)
            }
        }
        let estimate = builder.build(invalid: audience.invalid, duplicates: audience.duplicates,
                                     suppressed: audience.suppressed)
        return JobPreflight(settings: resolved, estimate: estimate)
    }
}
