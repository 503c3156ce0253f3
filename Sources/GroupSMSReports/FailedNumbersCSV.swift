import Foundation
import GroupSMSModel

/// The failed-number CSV: header `number,class,stage,code,description,time`, RFC 4180 (CRLF line
/// ends; a field holding a comma, quote, CR or LF is quoted, quotes doubled), times ISO 8601 UTC.
/// Row fields have their control characters escaped (`UntrustedText.escaped`: `\u001b`-style
/// text) and then pass through `neutralisingFormula`, so no cell runs as a spreadsheet formula.
public enum FailedNumbersCSV {
    /// The header fields.
    public static let header = ["number", "class", "stage", "code", "description", "time"]

    /// The whole file: header and one record per row.
    public static func document(_ rows: some Sequence<FailedNumberRow>) -> String {
        var text = record(header)
        for row in rows { text += line(for: row) }
        return text
    }

    /// One row's record, with its CRLF.
    public static func line(for row: FailedNumberRow) -> String {
        record([row.number, row.failureClass.rawValue, row.stage?.rawValue ?? "", row.code, row.description,
                row.time.map { ISOTimeText.utc($0) } ?? ""].map { neutralisingFormula(UntrustedText.escaped($0)) })
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
