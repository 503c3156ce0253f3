import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSReports

/// `groupsms export-failed JOB`: write a job's failed numbers as XLSX and CSV.
struct ExportFailedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-failed",
        abstract: "Write a job's failed numbers to <job>-failed.xlsx and <job>-failed.csv.",
        discussion: """
            Sheet 1 of the XLSX holds the retryable numbers in column A as text (re-import it here \
            or upload it to the console); sheet "Details" and the CSV list every failed, invalid, \
            opted-out and unconfirmed number with class, stage, code, description and time. \
            Numbers with no status report 72 h after acceptance are counted as EXPIRED first.
            """)

    @Argument(help: ArgumentHelp("The job, e.g. job-12 or 12.", valueName: "job"), transform: OptionValue.job)
    var job: JobID

    @Option(name: .customLong("out"), help: ArgumentHelp("Folder for the two files (created if missing).", valueName: "dir"))
    var outDirectory: String = "."

    @Flag(help: "Print the breakdown and the paths as one JSON object.")
    var json = false

    @OptionGroup var dataDir: DataDirOption

    func run() async throws {
        try await refusingErrors {
            let store = try await StoreAccess.open(dataDir, clock: SystemWallClock())
            try await store.expireOverdueReports()
            let export = try await store.failedNumbers(of: job)
            let files = try FailedNumbersWorkbook.write(export, to: outDirectory)
            if json {
                try JSONOutput.print(ExportFailedResult(export: export, files: files))
            } else {
                print(ExportFailedResult.text(export: export, files: files), terminator: "")
            }
        }
    }
}

/// What `export-failed` prints: counts by class and by code, and the two paths.
struct ExportFailedResult: Encodable {
    var job: String
    var name: String
    var failed: Int
    var retryable: Int
    var byClass: [String: Int]
    var byCode: [String: Int]
    var xlsx: String
    var csv: String

    init(export: FailedNumberExport, files: FailedNumbersFiles) {
        job = export.job.id.description
        name = export.job.name
        failed = export.rows.count
        retryable = export.retryableNumbers.count
        byClass = Dictionary(uniqueKeysWithValues: export.countsByClass.map { ($0.key.rawValue, $0.value) })
        byCode = export.countsByCode
        xlsx = files.workbookPath
        csv = files.csvPath
    }

    /// Classes in the order users act on them.
    static let classOrder: [FailureClass] = [.retryable, .optedOut, .unconfirmed, .invalid]

    static func text(export: FailedNumberExport, files: FailedNumbersFiles) -> String {
        let rows = export.rows.count
        var text = "\(export.job.id) \"\(export.job.name)\": \(rows) number\(rows == 1 ? "" : "s") did not get through"
        text += " (\(export.retryableNumbers.count) retryable)\n"
        if rows > 0 {
            let byClass = export.countsByClass
            text += "By class:\n"
            for failureClass in classOrder where byClass[failureClass, default: 0] > 0 {
                text += "  " + failureClass.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
                    + "\(byClass[failureClass]!)\n"
            }
            text += "By code:\n"
            let codes = export.countsByCode.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let width = max(13, (codes.map(\.key.count).max() ?? 0) + 2)
            for (code, count) in codes {
                text += "  " + code.padding(toLength: width, withPad: " ", startingAt: 0) + "\(count)\n"
            }
        }
        text += "Retryable numbers (sheet 1; re-import or upload to the console): \(files.workbookPath)\n"
        text += "Every failed number with details: \(files.csvPath)\n"
        // The job name and the codes come from a job file and the platform: escape their control characters.
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { UntrustedText.escaped(String($0)) }.joined(separator: "\n")
    }
}
