/// Why a price table (`--prices FILE`, `prices.csv`) was refused; every case names the file and
/// the 1-based line.
public enum PriceTableError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No price row at all (only blank lines, comments or the header).
    case noPrices(file: String)
    /// A row without exactly three fields.
    case fieldCount(file: String, line: Int, found: Int)
    /// A region that is neither a two-letter ISO region code nor `*`.
    case invalidRegion(file: String, line: Int, value: String)
    /// A price that is not a plain non-negative decimal number.
    case invalidPrice(file: String, line: Int, value: String)
    /// A currency that is not a three-letter ISO 4217 code.
    case invalidCurrency(file: String, line: Int, value: String)
    /// A row in another currency than the first row's: totals could not be added up.
    case mixedCurrencies(file: String, line: Int, currency: String, expected: String)
    /// A region priced twice.
    case duplicateRegion(file: String, line: Int, region: String, firstLine: Int)
    /// The file could not be read (missing, not readable, too large, not UTF-8).
    case unreadable(file: String, reason: String)

    /// The file, line and problem, with the form the line should have.
    public var description: String {
        switch self {
        case .noPrices(let file):
            "\(file): no price rows; write one row per region as region,price_per_segment,currency " +
                "(e.g. CN,0.045,CNY), with * for every other region"
        case .fieldCount(let file, let line, let found):
            "\(file) line \(line): \(found) \(found == 1 ? "field" : "fields"), expected 3: region,price_per_segment,currency"
        case .invalidRegion(let file, let line, let value):
            "\(file) line \(line): region \(TemplateError.quoted(value)) is not a two-letter ISO region code " +
                "(e.g. CN, GB) or * for every other region"
        case .invalidPrice(let file, let line, let value):
            "\(file) line \(line): price \(TemplateError.quoted(value)) is not a decimal number; " +
                "write it with digits and at most one '.', e.g. 0.045"
        case .invalidCurrency(let file, let line, let value):
            "\(file) line \(line): currency \(TemplateError.quoted(value)) is not a three-letter ISO 4217 code (e.g. CNY, USD)"
        case .mixedCurrencies(let file, let line, let currency, let expected):
            "\(file) line \(line): currency \(currency) differs from \(expected) of the first row; " +
                "give every price in one currency"
        case .duplicateRegion(let file, let line, let region, let firstLine):
            "\(file) line \(line): region \(region) is already priced on line \(firstLine); keep one row per region"
        case .unreadable(let file, let reason):
            "price table \(file) cannot be read (\(reason)); give a CSV file of region,price_per_segment,currency rows"
        }
    }
}
