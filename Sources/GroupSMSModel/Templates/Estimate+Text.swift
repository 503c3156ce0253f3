import Foundation

extension Estimate {
    /// The estimate as a block of labelled lines for the terminal (`send --dry-run`, `show`).
    /// Numbers are grouped with commas and amounts carry every decimal place of the currency,
    /// independent of the locale, so the block is the same on every machine.
    public var text: String {
        var lines = [
            line("Numbers", "\(Self.grouped(numbers)) to send (\(Self.grouped(invalid)) invalid, " +
                "\(Self.grouped(duplicates)) \(duplicates == 1 ? "duplicate" : "duplicates"), \(Self.grouped(suppressed)) suppressed)"),
            line("Template", templateChecked ? "checked against the local catalogue" : "not checked"),
        ]
        if let templateCheckNote { lines.append(line("", "note: \(templateCheckNote)")) }
        lines.append(line("Preview", preview ?? "(unknown)"))
        lines.append(line("Encoding", encoding?.rawValue ?? "(unknown)"))
        if !nonGsmCharacters.isEmpty { lines.append(line("Not GSM-7", nonGSMSummary)) }
        lines.append(line("Segments", segmentSummary))
        lines += byRegion.map { line("  \($0.region)", regionSummary($0)) }
        lines.append(line("Cost", costSummary))
        return lines.joined(separator: "\n")
    }

    /// `text` with every line after `prefix`, for an estimate shown inside another block
    /// (`send`, `submit`, `rerun`, `show`).
    public func text(indentedBy prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }

    private var segmentSummary: String {
        let range = segmentsPerMessage
        let perMessage = range.min == range.max ? "\(range.max)" : "\(range.min) to \(range.max)"
        return "\(Self.grouped(segments)) in all, \(perMessage) per message"
    }

    private var nonGSMSummary: String {
        let entries = nonGsmCharacters.map { entry in
            let shown = Self.visible(entry.character)
            switch entry.replacement {
            case nil: return "\(shown) (no GSM-7 look-alike)"
            case "": return "\(shown) (delete it)"
            case " ": return "\(shown) (write a space)"
            case let replacement?: return "\(shown) (write \(replacement))"
            }
        }
        return entries.joined(separator: ", ") + "; replace them to send as GSM-7"
    }

    /// White space and invisible characters as code points (`U+00A0`), others as they are.
    private static func visible(_ character: String) -> String {
        let invisible = character.unicodeScalars.allSatisfy {
            $0.properties.isWhitespace || $0.properties.generalCategory == .format || $0.properties.generalCategory == .control
        }
        guard invisible else { return character }
        return character.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: " ")
    }

    private func regionSummary(_ total: RegionTotal) -> String {
        let counts = "\(Self.grouped(total.numbers)) \(total.numbers == 1 ? "number" : "numbers"), " +
            "\(Self.grouped(total.segments)) \(total.segments == 1 ? "segment" : "segments")"
        guard let amount = total.cost else { return costNote == nil ? counts : counts + ", no price" }
        // Without a total (another region is unpriced) the currency is not at hand: bare amount.
        guard let currency = cost?.currency else { return counts + ", \(amount)" }
        return counts + ", \(CurrencyPrecision.formatted(amount, currency: currency)) \(currency)"
    }

    private var costSummary: String {
        if let cost { return "\(CurrencyPrecision.formatted(cost.amount, currency: cost.currency)) \(cost.currency)" }
        if let costNote { return "not estimated: \(costNote)" }
        return "not estimated: no price table (give --prices FILE or put prices.csv in the data dir)"
    }

    /// A label padded to one column; continuation lines of a multi-line value are indented under it.
    private func line(_ label: String, _ value: String) -> String {
        let width = 12
        let indent = String(repeating: " ", count: width)
        let padded = label.padding(toLength: width, withPad: " ", startingAt: 0)
        let valueLines = value.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        return padded + valueLines.joined(separator: "\n" + indent)
    }

    /// 1234567 → "1,234,567", without the locale.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}
