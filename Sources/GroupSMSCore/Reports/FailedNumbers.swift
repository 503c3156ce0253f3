import Foundation

/// One number of a job that did not get through, as `export-failed` lists it.
public struct FailedNumberRow: Sendable, Hashable {
    /// First-seen order within the job.
    public var position: Int
    /// E.164, or the cell text as read for an invalid entry.
    public var number: String
    /// failed, unconfirmed or not-sent.
    public var state: NumberState
    /// invalid, opted-out, retryable or unconfirmed.
    public var failureClass: FailureClass
    /// Where it failed.
    public var stage: FailureStage?
    /// The code: platform status or answer code, LOCAL_LIMIT, SUPPRESSED, EXPIRED, UNCONFIRMED...
    public var code: String
    /// The reason in words.
    public var description: String
    /// When it failed (the last change of the number).
    public var time: Date?
    /// The recipient file it came from, if known.
    public var sourceFile: String?
    /// The cell it was read from, e.g. "A17".
    public var cell: String?

    /// True for the numbers a rerun sends and sheet 1 of the XLSX lists.
    public var isRetryable: Bool { failureClass == .retryable }
}

/// Everything `export-failed` writes and prints for one job.
public struct FailedNumberExport: Sendable, Hashable {
    /// The job.
    public var job: JobRecord
    /// Every failed, invalid, opted-out, unconfirmed and not-sent number, in position order.
    public var rows: [FailedNumberRow]

    /// The retryable numbers (E.164) in position order: sheet 1 of the XLSX, what `rerun` sends.
    public var retryableNumbers: [String] { rows.filter(\.isRetryable).map(\.number) }

    /// Rows per class.
    public var countsByClass: [FailureClass: Int] {
        rows.reduce(into: [:]) { $0[$1.failureClass, default: 0] += 1 }
    }

    /// Rows per code.
    public var countsByCode: [String: Int] {
        rows.reduce(into: [:]) { $0[$1.code, default: 0] += 1 }
    }
}

/// The failed-number CSV: header `number,class,stage,code,description,time`, RFC 4180 (CRLF line
/// ends; a field holding a comma, quote, CR or LF is quoted, quotes doubled), times ISO 8601 UTC.
/// Row fields pass through `neutralisingFormula` so no cell runs as a spreadsheet formula.
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
                row.time.map { StoreTime.iso($0) } ?? ""].map(neutralisingFormula))
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
