import Foundation

/// Prices per segment by region, read from CSV `region,price_per_segment,currency` (SPEC §6).
///
/// File format decisions: the header row is optional and recognised only as the exact names
/// `region,price_per_segment,currency` (any case) on the first row that is not blank or a
/// comment; lines end with LF, CR LF or CR; blank lines and lines whose
/// first non-blank character is `#` are skipped; a UTF-8 byte order mark is ignored; fields are
/// trimmed and may be wrapped in double quotes. Region is a two-letter ISO code (any case) or `*`
/// for every region without its own row; the price a plain decimal (`0.045`, no exponent, sign
/// or thousands separator); one currency for the whole table.
public struct PriceTable: Sendable, Hashable {
    /// One priced region.
    public struct Row: Sendable, Hashable {
        /// ISO region code (upper case) or `*`.
        public let region: String
        /// Price of one segment, exact.
        public let pricePerSegment: Decimal
        /// The 1-based line of the file it came from.
        public let line: Int
    }

    /// The table's currency (ISO 4217, upper case).
    public let currency: String
    /// The rows by region code (`*` included).
    public let rows: [String: Row]

    /// Parses `csv`; `file` names the source in errors.
    public init(csv: String, file: String) throws(PriceTableError) {
        var rows: [String: Row] = [:]
        var currency: String?
        var headerAllowed = true
        let lines = csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let line = offset + 1
            guard let fields = Self.fields(of: rawLine, isFirstLine: line == 1) else { continue }
            defer { headerAllowed = false }
            if headerAllowed, Self.isHeader(fields) { continue }
            let (row, rowCurrency) = try Self.row(fields, file: file, line: line)
            if let expected = currency, expected != rowCurrency {
                throw .mixedCurrencies(file: file, line: line, currency: rowCurrency, expected: expected)
            }
            if let first = rows[row.region] {
                throw .duplicateRegion(file: file, line: line, region: row.region, firstLine: first.line)
            }
            currency = rowCurrency
            rows[row.region] = row
        }
        guard let currency else { throw .noPrices(file: file) }
        self.currency = currency
        self.rows = rows
    }

    /// The price of one segment to `regionCode`: its own row, else the `*` row, else nil.
    public func pricePerSegment(regionCode: String) -> Decimal? {
        (rows[regionCode.uppercased()] ?? rows["*"])?.pricePerSegment
    }

    /// The cost of `segments` segments to `regionCode`, rounded up to the currency's minor unit
    /// (an estimate never falls below the bill), or nil when the region has no price.
    public func cost(segments: Int, regionCode: String) -> Decimal? {
        guard let price = pricePerSegment(regionCode: regionCode) else { return nil }
        return CurrencyPrecision.roundedUp(price * Decimal(segments), currency: currency)
    }

    /// The trimmed, unquoted fields of a line, or nil for a blank or comment line.
    private static func fields(of rawLine: Substring, isFirstLine: Bool) -> [String]? {
        var text = String(rawLine)
        if isFirstLine, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        return trimmed.split(separator: ",", omittingEmptySubsequences: false).map { field in
            let value = field.trimmingCharacters(in: .whitespaces)
            let quoted = value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"")
            return quoted ? String(value.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces) : value
        }
    }

    private static func isHeader(_ fields: [String]) -> Bool {
        fields.map { $0.lowercased() } == ["region", "price_per_segment", "currency"]
    }

    private static func row(_ fields: [String], file: String, line: Int) throws(PriceTableError) -> (Row, String) {
        guard fields.count == 3 else { throw .fieldCount(file: file, line: line, found: fields.count) }
        let region = fields[0].uppercased()
        guard region == "*" || (region.count == 2 && region.allSatisfy(isASCIIUpper)) else {
            throw .invalidRegion(file: file, line: line, value: fields[0])
        }
        guard let price = plainDecimal(fields[1]) else { throw .invalidPrice(file: file, line: line, value: fields[1]) }
        let currency = fields[2].uppercased()
        guard currency.count == 3, currency.allSatisfy(isASCIIUpper) else {
            throw .invalidCurrency(file: file, line: line, value: fields[2])
        }
        return (Row(region: region, pricePerSegment: price, line: line), currency)
    }

    /// `digits[.digits]` or `.digits`, exact as a Decimal; anything else nil.
    private static func plainDecimal(_ text: String) -> Decimal? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digitsOnly = parts.allSatisfy { $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        guard (1...2).contains(parts.count), digitsOnly, parts.contains(where: { !$0.isEmpty }),
              parts.count == 1 || !parts[1].isEmpty
        else { return nil }
        return Decimal(string: text)
    }

    private static func isASCIIUpper(_ character: Character) -> Bool {
        character.isASCII && character.isUppercase
    }
}

/// Minor units of ISO 4217 currencies: 2 unless listed, so amounts round to what can be paid.
public enum CurrencyPrecision {
    /// Decimal places of `currency`'s minor unit.
    public static func minorUnits(_ currency: String) -> Int {
        switch currency.uppercased() {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
             "VUV", "XAF", "XOF", "XPF":
            0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            3
        case "CLF", "UYW":
            4
        default:
            2
        }
    }

    /// `amount` rounded up (away from zero) to `currency`'s minor unit.
    public static func roundedUp(_ amount: Decimal, currency: String) -> Decimal {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, minorUnits(currency), .up)
        return rounded
    }

    /// `amount` written with exactly the currency's decimal places ("5.00"), independent of locale.
    public static func formatted(_ amount: Decimal, currency: String) -> String {
        let places = minorUnits(currency)
        let text = roundedUp(amount, currency: currency).description
        guard places > 0 else { return text }
        let parts = text.split(separator: ".", maxSplits: 1)
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        return "\(parts[0]).\(fraction.padding(toLength: places, withPad: "0", startingAt: 0))"
    }
}
