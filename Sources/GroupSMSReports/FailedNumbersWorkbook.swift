import Foundation
import GroupSMSModel
import GroupSMSXLSX
import GroupSMSPlatform
import GroupSMSStore

/// The two files `export-failed` writes for a job.
public struct FailedNumbersFiles: Sendable, Hashable, Codable {
    /// `<dir>/<job>-failed.xlsx`: sheet 1 the retryable numbers, sheet 2 "Details".
    public var workbookPath: String
    /// `<dir>/<job>-failed.csv`: every failed, invalid, opted-out and unconfirmed number.
    public var csvPath: String
}

/// Writes a job's failed numbers (SPEC §4 "Failed-number export").
///
/// The workbook's first sheet holds only the retryable numbers, as text in column A with no
/// header, so the file can be re-imported here (`send`, `check`) or uploaded to the console
/// unchanged. Its second sheet, "Details", lists every row of the export with the catalogue's
/// suggestion of what to do. Workbook cells are text cells, which spreadsheets never evaluate;
/// the CSV's fields are guarded by `FailedNumbersCSV.neutralisingFormula`. Control characters
/// in either are written as `\u001b`-style text (`UntrustedText.escaped`).
public enum FailedNumbersWorkbook {
    /// The name of sheet 1.
    public static let numbersSheetName = "Retry"
    /// The name of sheet 2.
    public static let detailsSheetName = "Details"
    /// The header of the Details sheet.
    public static let detailsHeader = ["number", "class", "stage", "code", "description", "suggestion", "time"]

    /// The file name stem for a job: `job-12-failed`.
    public static func baseName(for job: JobID) -> String { "\(job)-failed" }

    /// Writes both files into `directory` (created if missing), replacing older ones.
    public static func write(_ export: FailedNumberExport, to directory: String) throws -> FailedNumbersFiles {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.invalidInput("cannot create the export folder \(directory): \(error.localizedDescription)")
        }
        let stem = (directory as NSString).appendingPathComponent(baseName(for: export.job.id))
        let files = FailedNumbersFiles(workbookPath: stem + ".xlsx", csvPath: stem + ".csv")
        try XLSXWriter(sheets: sheets(for: export)).write(to: files.workbookPath)
        do {
            try Data(FailedNumbersCSV.document(export.rows, variables: export.variablesHeader).utf8).write(to: URL(fileURLWithPath: files.csvPath), options: .atomic)
        } catch {
            throw StoreError.invalidInput("cannot write \(files.csvPath): \(error.localizedDescription)")
        }
        return files
    }

    /// The two sheets: the retryable numbers, then the details of every row.
    public static func sheets(for export: FailedNumberExport) -> [XLSXSheet] {
        let details = export.rows.map { row -> [XLSXValue] in
            [row.number, row.failureClass.rawValue, row.stage?.rawValue ?? "", row.code, row.description,
             suggestion(for: row), row.time.map { ISOTimeText.utc($0) } ?? ""].map { .text(UntrustedText.escaped($0)) }
        }
        return [retrySheet(export), XLSXSheet(name: detailsSheetName, header: detailsHeader, rows: details)]
    }

    /// Sheet 1, what a rerun or a new `send` re-imports: the retryable numbers in column A; for a
    /// personalised job a header row (A1 `number`, then the value columns' header) and each
    /// number's values in B, C, ..., as `--variables columns` reads them.
    static func retrySheet(_ export: FailedNumberExport) -> XLSXSheet {
        guard let header = export.variablesHeader else { return .textColumn(name: numbersSheetName, export.retryableNumbers) }
        let rows = export.rows.filter(\.isRetryable).map { row -> [XLSXValue] in
            [.text(row.number)] + (row.values ?? []).map { .text($0) }
        }
        return XLSXSheet(name: numbersSheetName, header: ["number"] + header, rows: rows)
    }

    /// What the user should do about a row: the code catalogue's action for platform codes,
    /// else the advice for groupsms's own codes, else the advice for the row's class.
    public static func suggestion(for row: FailedNumberRow) -> String {
        if let local = localSuggestions[row.code] { return local }
        let entry = row.stage == .delivery
            ? PlatformCodeCatalogue.reportEntry(for: row.code)
            : PlatformCodeCatalogue.apiEntry(for: row.code) ?? PlatformCodeCatalogue.reportEntry(for: row.code)
        if let entry { return entry.action }
        return classSuggestion(row.failureClass)
    }

    /// The advice for a failure class (what `export-failed` and the README say about it).
    public static func classSuggestion(_ failureClass: FailureClass) -> String {
        switch failureClass {
        case .invalid:
            return "Correct the number in the recipient file (format the column as Text; add the country code); it is never sent as it is."
        case .optedOut:
            return "Do not send again: the recipient or a blocklist refuses. Remove it from the suppression list only if the recipient asks."
        case .retryable:
            return "Send again later: groupsms rerun JOB (or upload sheet 1 to the console)."
        case .unconfirmed:
            return "The platform may have sent it: check the console or wait for a report; send again only with rerun --include-unconfirmed."
        }
    }

    private static let localSuggestions: [String: String] = [
        "INVALID_NUMBER": classSuggestion(.invalid),
        "SUPPRESSED": "Not sent: the number is on the suppression list (groupsms suppress list). Remove it only if the recipient asks.",
        "LOCAL_LIMIT": "Not sent: it would have broken a per-number frequency limit. Rerun after the time in the description.",
        "EXPIRED": "No status report within 72 h: check that the number is in service; send again with groupsms rerun JOB.",
        "UNCONFIRMED": classSuggestion(.unconfirmed),
        "CANCELLED": "Not sent: the job was cancelled. Send again with groupsms rerun JOB if still wanted.",
    ]
}
