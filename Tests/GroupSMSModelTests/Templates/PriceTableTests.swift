import Foundation
import Testing
@testable import GroupSMSModel

@Suite("Price table CSV")
struct PriceTableTests {
    private func table(_ csv: String) throws(PriceTableError) -> PriceTable {
        try PriceTable(csv: csv, file: "prices.csv")
    }

    private func refusal(_ csv: String) -> PriceTableError? {
        do {
            _ = try table(csv)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsRowsWithOptionalHeaderCommentsAndQuotes() throws {
        let prices = try table("\u{FEFF}# our contract\nregion,price_per_segment,currency\r\ncn,0.045,cny\n\n\"*\", \"0.30\" ,CNY\n")
        #expect(prices.currency == "CNY")
        #expect(prices.pricePerSegment(regionCode: "CN") == Decimal(string: "0.045"))
        #expect(prices.pricePerSegment(regionCode: "GB") == Decimal(string: "0.30"))
        #expect(prices.rows["CN"]?.line == 3)
        #expect(prices.rows["*"]?.line == 5)
    }

    @Test func theHeaderIsOptional() throws {
        let prices = try table("GB,0.05,GBP")
        #expect(prices.pricePerSegment(regionCode: "gb") == Decimal(string: "0.05"))
        #expect(prices.pricePerSegment(regionCode: "FR") == nil)
        #expect(prices.cost(segments: 3, regionCode: "FR") == nil)
    }

    @Test func costIsExactAndRoundedUpToTheMinorUnit() throws {
        let prices = try table("CN,0.045,CNY")
        #expect(prices.cost(segments: 1_000_000, regionCode: "CN") == Decimal(45000))
        #expect(prices.cost(segments: 3, regionCode: "CN") == Decimal(string: "0.14"))
        #expect(try table("JP,1.5,JPY").cost(segments: 3, regionCode: "JP") == Decimal(5))
        #expect(try table("*,0.1,USD").cost(segments: 3, regionCode: "US") == Decimal(string: "0.3"))
    }

    @Test func currencyPrecision() {
        #expect(CurrencyPrecision.minorUnits("USD") == 2)
        #expect(CurrencyPrecision.minorUnits("JPY") == 0)
        #expect(CurrencyPrecision.minorUnits("KWD") == 3)
        #expect(CurrencyPrecision.formatted(Decimal(5), currency: "CNY") == "5.00")
        #expect(CurrencyPrecision.formatted(Decimal(string: "0.141")!, currency: "CNY") == "0.15")
        #expect(CurrencyPrecision.formatted(Decimal(string: "12.5")!, currency: "KWD") == "12.500")
        #expect(CurrencyPrecision.formatted(Decimal(string: "12.5")!, currency: "JPY") == "13")
    }

    @Test func refusesAnEmptyTable() {
        #expect(refusal("region,price_per_segment,currency\n# none\n") == .noPrices(file: "prices.csv"))
        #expect(refusal("")?.description == "prices.csv: no price rows; write one row per region as " +
            "region,price_per_segment,currency (e.g. CN,0.045,CNY), with * for every other region")
    }

    @Test func refusesTheWrongNumberOfFields() {
        let error = refusal("CN,0.045\n")
        #expect(error == .fieldCount(file: "prices.csv", line: 1, found: 2))
        #expect(error?.description == "prices.csv line 1: 2 fields, expected 3: region,price_per_segment,currency")
        #expect(refusal("CN,0,045,CNY") == .fieldCount(file: "prices.csv", line: 1, found: 4))
    }

    @Test(arguments: ["CHN", "C", "86", "C1", "", "**"])
    func refusesRegionsThatAreNotISOCodes(region: String) {
        #expect(refusal("# header-less\n\(region),0.1,USD") == .invalidRegion(file: "prices.csv", line: 2, value: region))
    }

    @Test func regionMessage() {
        #expect(refusal("China,0.1,CNY")?.description == "prices.csv line 1: region \"China\" is not a two-letter " +
            "ISO region code (e.g. CN, GB) or * for every other region")
    }

    @Test(arguments: ["-0.1", "1e-3", "", ".", "1.", "1.2.3", "¥0.1", " ", "1 000", "NaN"])
    func refusesPricesThatAreNotPlainDecimals(price: String) {
        #expect(refusal("US,0.1,USD\nGB,\(price),USD") == .invalidPrice(file: "prices.csv", line: 2, value: price.trimmingCharacters(in: .whitespaces)))
    }

    @Test func acceptsPlainDecimals() throws {
        #expect(try table("US,.5,USD").pricePerSegment(regionCode: "US") == Decimal(string: "0.5"))
        #expect(try table("US,0,USD").pricePerSegment(regionCode: "US") == Decimal(0))
        #expect(try table("US,12,USD").pricePerSegment(regionCode: "US") == Decimal(12))
    }

    @Test func priceMessage() {
        #expect(refusal("US,1e-3,USD")?.description == "prices.csv line 1: price \"1e-3\" is not a decimal number; " +
            "write it with digits and at most one '.', e.g. 0.045")
    }

    @Test(arguments: ["US", "DOLLAR", "$", "U5D", ""])
    func refusesCurrenciesThatAreNotISOCodes(currency: String) {
        #expect(refusal("US,0.1,\(currency)") == .invalidCurrency(file: "prices.csv", line: 1, value: currency))
    }

    @Test func refusesMixedCurrencies() {
        let error = refusal("CN,0.045,CNY\nUS,0.1,USD")
        #expect(error == .mixedCurrencies(file: "prices.csv", line: 2, currency: "USD", expected: "CNY"))
        #expect(error?.description == "prices.csv line 2: currency USD differs from CNY of the first row; " +
            "give every price in one currency")
    }

    @Test func refusesARegionPricedTwice() {
        let error = refusal("CN,0.045,CNY\n*,0.3,CNY\ncn,0.05,CNY")
        #expect(error == .duplicateRegion(file: "prices.csv", line: 3, region: "CN", firstLine: 1))
        #expect(error?.description == "prices.csv line 3: region CN is already priced on line 1; keep one row per region")
    }

    @Test func aHeaderAfterTheFirstRowIsAnError() {
        #expect(refusal("CN,0.045,CNY\nregion,price_per_segment,currency") ==
            .invalidRegion(file: "prices.csv", line: 2, value: "region"))
    }
}
