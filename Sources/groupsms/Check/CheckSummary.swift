import Foundation
import GroupSMSModel
import GroupSMSPhoneNumbers

/// The human-readable `check` report: per-file counts, warnings, invalid cells and a verdict.
struct CheckSummary {
    /// Invalid entries shown unless `--all` is given.
    static let invalidLimit = 20

    let report: RecipientImportReport
    let listEverything: Bool

    var text: String {
        var lines: [String] = []
        lines += fileTable()
        lines += fileNameNotes()
        lines += warningLines()
        lines += invalidLines()
        if listEverything { lines += duplicateLines() }
        lines.append("")
        lines.append(verdict())
        return lines.joined(separator: "\n") + "\n"
    }

    private func fileTable() -> [String] {
        let width = max(4, report.files.map(\.path.count).max() ?? 0)
        func row(_ name: String, _ rows: String, _ valid: String, _ duplicates: String, _ invalid: String) -> String {
            name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  " + rows.leftPadded(7) + "  " + valid.leftPadded(7)
                + "  " + duplicates.leftPadded(10) + "  " + invalid.leftPadded(7)
        }
        var lines = [row("File", "Rows", "Valid", "Duplicates", "Invalid")]
        for file in report.files {
            lines.append(row(file.path, "\(file.rows)", "\(file.valid)", "\(file.duplicates)", "\(file.invalid)"))
        }
        if report.files.count > 1 {
            let rows = report.files.reduce(0) { $0 + $1.rows }
            lines.append(row("Total", "\(rows)", "\(report.valid)", "\(report.duplicates)", "\(report.invalid.count)"))
        }
        return lines
    }

    /// The console's upload rule allows letters, Chinese characters and digits in file names;
    /// local paths are fine here, so this is a note, not a refusal.
    private func fileNameNotes() -> [String] {
        report.files.compactMap { file in
            let name = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard !ConsoleNameRule.accepts(name) else { return nil }
            return "Note: the console accepts only letters, Chinese characters and digits in file names; rename \(file.path) before uploading it there."
        }
    }

    private func warningLines() -> [String] {
        guard !report.warnings.isEmpty else { return [] }
        var lines = ["", "Warnings (\(report.warnings.count)): these numbers are valid but may not receive SMS"]
        let shown = listEverything ? report.warnings[...] : report.warnings.prefix(Self.invalidLimit)
        for warning in shown {
            lines.append(Self.untrusted("  \(warning.file) \(warning.cell)  \(warning.message)"))
        }
        if shown.count < report.warnings.count {
            lines.append("  ... \(report.warnings.count - shown.count) more (--all lists every one)")
        }
        return lines
    }

    private func invalidLines() -> [String] {
        guard !report.invalid.isEmpty else { return [] }
        var lines = ["", "Invalid entries (\(report.invalid.count)):"]
        let shown = listEverything ? report.invalid[...] : report.invalid.prefix(Self.invalidLimit)
        for entry in shown {
            lines.append("  " + Self.untrusted("\(entry.file) \(entry.cell)  \"\(entry.value)\": \(entry.reason)"))
        }
        if shown.count < report.invalid.count {
            lines.append("  ... \(report.invalid.count - shown.count) more (--all lists every one)")
        }
        return lines
    }

    private func duplicateLines() -> [String] {
        guard !report.duplicateEntries.isEmpty else { return [] }
        var lines = ["", "Duplicates (\(report.duplicateEntries.count)):"]
        for entry in report.duplicateEntries {
            lines.append(Self.untrusted("  \(entry.file) \(entry.cell)  \(entry.number) repeats \(entry.firstFile) \(entry.firstCell)"))
        }
        return lines
    }

    /// A line quoting cells and file names: control characters in them are escaped, never printed raw.
    static func untrusted(_ line: String) -> String { UntrustedText.escaped(line) }

    private func verdict() -> String {
        let files = report.files.count == 1 ? "1 file" : "\(report.files.count) files"
        var left: [String] = []
        if report.duplicates > 0 { left.append(plural(report.duplicates, "duplicate")) }
        if !report.invalid.isEmpty { left.append(plural(report.invalid.count, "invalid entry", "invalid entries")) }
        let skipped = left.isEmpty ? "" : " (" + left.joined(separator: ", ") + " left out)"
        return "OK: \(plural(report.valid, "number")) from \(files) can be sent\(skipped)."
    }

    private func plural(_ count: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : (pluralForm ?? singular + "s"))
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
