import Foundation
import GroupSMSModel

/// The failed-number CSV: header `number,class,stage,code,description,time`, RFC 4180 (CRLF line
/// ends; a field holding a comma, quote, CR or LF is quoted, quotes doubled), times ISO 8601 UTC.
/// Row fields have their control characters escaped (`UntrustedText.escaped`: `\u001b`-style
/// text) and then pass through `neutralisingFormula`, so no cell runs as a spreadsheet formula.
public enum FailedNumbersCSV {
    /// The header fields.
    public static let header = ["number", "class", "stage", "code", "description", "time"]

    /// The whole file: header and one record per row; a personalised job's `variables` header
    /// adds one column per variable after `number`.
    public static func document(_ rows: some Sequence<FailedNumberRow>, variables: [String]? = nil) -> String {
        var text = record(([header[0]] + (variables ?? []) + header.dropFirst()).map {
            neutralisingFormula(UntrustedText.escaped($0))
        })
        for row in rows { text += line(for: row, variables: variables?.count ?? 0) }
        return text
    }

    /// One row's record, with its CRLF; `variables` value fields follow the number.
    public static func line(for row: FailedNumberRow, variables: Int = 0) -> String {
        let values = (0..<variables).map { index in row.values.flatMap { index < $0.count ? $0[index] : nil } ?? "" }
        return record(([row.number] + values + [row.failureClass.rawValue, row.stage?.rawValue ?? "", row.code,
                        row.description, row.time.map { ISOTimeText.utc($0) } ?? ""])
            .map { neutralisingFormula(UntrustedText.escaped($0)) })
    }

    /// Fields joined by commas, each quoted when it must be, ending in CRLF.
    public static func record(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\r\n"
    }

    /// A field as RFC 4180 writes it.
    public static func quote(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
