import Foundation
import Testing
@testable import GroupSMSModel

@Suite("Estimate (SPEC §6 send --dry-run)")
struct EstimateTests {
    private let prices: PriceTable
    private let acme: SignatureName

    init() throws {
        prices = try PriceTable(csv: "CN,0.045,CNY\n*,0.30,CNY", file: "prices.csv")
        acme = try SignatureName("Acme")
    }

    private func smallEstimate() -> Estimate {
        var builder = EstimateBuilder(content: .fixed(content: "Your parcel is at Gate 3."), signature: acme, prices: prices)
        builder.add(regionCode: "CN", numbers: 2)
        builder.add(regionCode: "GB")
        return builder.build(invalid: 2, duplicates: 1, suppressed: 0)
    }

    @Test func jsonOfASmallCaseIsExact() throws {
        let json = try smallEstimate().jsonText()
        #expect(json == #"{"byRegion":[{"cost":0.09,"numbers":2,"region":"CN","segments":2},"# +
            #"{"cost":0.3,"numbers":1,"region":"GB","segments":1}],"cost":{"amount":0.39,"currency":"CNY"},"# +
            #""duplicates":1,"encoding":"mainland","invalid":2,"nonGsmCharacters":[],"numbers":3,"# +
            #""preview":"【Acme】Your parcel is at Gate 3.","segments":3,"segmentsPerMessage":{"max":1,"min":1},"# +
            #""suppressed":0,"templateChecked":true}"#)
    }

    @Test func jsonRoundTrips() throws {
        let estimate = smallEstimate()
        let decoded = try JSONDecoder().decode(Estimate.self, from: Data(try estimate.jsonText().utf8))
        #expect(decoded == estimate)
    }

    @Test func textOfASmallCase() {
        #expect(smallEstimate().text == """
            Numbers     3 to send (2 invalid, 1 duplicate, 0 suppressed)
            Template    checked against the local catalogue
            Preview     【Acme】Your parcel is at Gate 3.
            Encoding    mainland
            Segments    3 in all, 1 per message
              CN        2 numbers, 2 segments, 0.09 CNY
              GB        1 number, 1 segment, 0.30 CNY
            Cost        0.39 CNY
            """)
    }

    @Test func aTemplateNotInTheCatalogueIsALowerBoundWithNulls() throws {
        var builder = EstimateBuilder(content: .notInCatalogue(templateID: "T9"), signature: nil, prices: nil)
        builder.add(regionCode: "US", numbers: 4)
        let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 1)
        let note = "template T9 is not in the local catalogue, so its text and parameters were not checked and each " +
            "number is counted as 1 segment, a lower bound; add it with `groupsms template add T9 --text TEXT` to check and count it"
        #expect(estimate.templateCheckNote == note)
        #expect(try estimate.jsonText() == #"{"byRegion":[{"cost":null,"numbers":4,"region":"US","segments":4}],"# +
            #""cost":null,"duplicates":0,"encoding":null,"invalid":0,"nonGsmCharacters":[],"numbers":4,"preview":null,"# +
            #""segments":4,"segmentsPerMessage":{"max":1,"min":1},"suppressed":1,"templateCheckNote":"\#(note)","# +
            #""templateChecked":false}"#)
        #expect(estimate.text.contains("Cost        not estimated: no price table (give --prices FILE or put prices.csv in the data dir)"))
        #expect(estimate.text.contains("            note: template T9 is not in the local catalogue"))
    }

    @Test func theSignatureCountsOnlyOnTheMainland() {
        var builder = EstimateBuilder(content: .fixed(content: String(repeating: "a", count: 65)), signature: acme, prices: nil)
        builder.add(regionCode: "GB", numbers: 10)
        builder.add(regionCode: "CN", numbers: 5)
        let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        #expect(estimate.segmentsPerMessage == .init(min: 1, max: 2))
        #expect(estimate.segments == 10 + 5 * 2)
        #expect(estimate.byRegion.map(\.region) == ["CN", "GB"])
        #expect(estimate.preview == String(repeating: "a", count: 65))
        #expect(estimate.encoding == .gsm7)
        #expect(estimate.cost == nil && estimate.costNote == nil)
    }

    @Test func unknownValuesCountAtTheirMaximum() throws {
        let template = try TemplateText("Code ${NUM_6} for ${TXT_20}")
        var builder = EstimateBuilder(content: .worstCase(template), signature: nil, prices: nil)
        builder.add(regionCode: "US", numbers: 3)
        let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        #expect(estimate.preview == "Code ${NUM_6} for ${TXT_20}")
        #expect(estimate.templateChecked)
        #expect(estimate.templateCheckNote == "parameter values are not known: each variable is counted at its maximum length")
        #expect(estimate.segments == 3)
    }

    @Test func perRecipientValuesAreEachCounted() throws {
        let template = try MessageTemplate(
            id: "T2", text: "Hi ${TXT_20}, your code is ${NUM_6}. " + String(repeating: "x", count: 120),
            kind: .notification, region: .international)
        var builder = EstimateBuilder(content: .perRecipient(template), signature: nil, prices: prices)
        try builder.add(regionCode: "GB", values: ["Bob", "1"])
        try builder.add(regionCode: "GB", values: ["Zoë “Z”", "123456"])
        try builder.add(regionCode: "CN", values: ["Li", "42"])
        #expect(throws: TemplateError.self) { try builder.add(regionCode: "GB", values: ["Al", "x"]) }
        let estimate = builder.build(invalid: 1, duplicates: 0, suppressed: 0)
        #expect(estimate.preview?.hasPrefix("Hi Bob, your code is 1. xxx") == true)
        #expect(estimate.encoding == .gsm7)
        #expect(estimate.nonGsmCharacters.map(\.character) == ["ë", "“", "”"])
        #expect(estimate.segmentsPerMessage == .init(min: 1, max: 3))
        #expect(estimate.numbers == 3)
        #expect(estimate.segments == 1 + 3 + 3)
        #expect(estimate.byRegion == [
            .init(region: "CN", numbers: 1, segments: 3, cost: Decimal(string: "0.14")),
            .init(region: "GB", numbers: 2, segments: 4, cost: Decimal(string: "1.2")),
        ])
        #expect(estimate.cost == .init(amount: Decimal(string: "1.34")!, currency: "CNY"))
        #expect(estimate.templateCheckNote == nil)
    }

    @Test func aPerRecipientTemplateCountedWithoutValuesSaysSo() throws {
        let template = try MessageTemplate(id: "T2", text: "Hi ${TXT_20}", kind: .notification, region: .international)
        var builder = EstimateBuilder(content: .perRecipient(template), signature: nil, prices: nil)
        builder.add(regionCode: "GB", numbers: 2)
        let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        #expect(estimate.preview == "Hi ${TXT_20}")
        #expect(estimate.templateCheckNote == "parameter values are not known: each variable is counted at its maximum length")
    }

    @Test func aRegionWithoutAPriceLeavesTheTotalUnknown() throws {
        let cnOnly = try PriceTable(csv: "CN,0.045,CNY", file: "prices.csv")
        var builder = EstimateBuilder(content: .fixed(content: "Hi"), signature: acme, prices: cnOnly)
        builder.add(regionCode: "CN")
        builder.add(regionCode: "US")
        let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        #expect(estimate.cost == nil)
        #expect(estimate.costNote == "no price for US in the price table; add a row for US or a * row")
        #expect(estimate.byRegion.map(\.cost) == [Decimal(string: "0.05"), nil])
        #expect(estimate.text.contains("  US        1 number, 1 segment, no price"))
    }

    @Test func nonGSMCharactersAreListedInTheText() {
        var builder = EstimateBuilder(content: .fixed(content: "It’s here\u{00A0}now 😀"), signature: nil, prices: nil)
        builder.add(regionCode: "US")
        let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        #expect(estimate.encoding == .ucs2)
        #expect(estimate.text.contains(
            "Not GSM-7   ’ (write '), U+00A0 (write a space), 😀 (no GSM-7 look-alike); replace them to send as GSM-7"))
    }

    @Test func aMillionSharedRecipientsCountOnce() {
        var builder = EstimateBuilder(content: .fixed(content: String(repeating: "b", count: 200)), signature: acme, prices: prices)
        for index in 0..<1_000_000 {
            builder.add(regionCode: index % 4 == 0 ? "CN" : "GB")
        }
        let estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        #expect(estimate.numbers == 1_000_000)
        #expect(estimate.segments == 250_000 * 4 + 750_000 * 2)
        #expect(estimate.cost?.amount == Decimal(string: "495000"))
        #expect(estimate.text.contains("Segments    2,500,000 in all, 2 to 4 per message"))
    }

    @Test func groupsDigitsWithoutTheLocale() {
        #expect(Estimate.grouped(0) == "0")
        #expect(Estimate.grouped(999) == "999")
        #expect(Estimate.grouped(1000) == "1,000")
        #expect(Estimate.grouped(1_234_567) == "1,234,567")
    }
}
