import Foundation
import Synchronization

/// Keeps the raw text of malformed report entries in the data dir, for inspection:
/// `<data-dir>/reports-malformed/YYYYMMDD.jsonl` (the UTC day of receipt), one JSON object a line:
///
/// ```json
/// {"at":"2026-12-01T08:00:05.123Z","entry":3,"format":"batch","raw":"{\"smsMsgId\":17}","rawBytes":15,
///  "reason":"status report 3 of statusReportList: smsMsgId is the number 17; expected a string"}
/// ```
/// `entry` is the position in the batch (absent for a single report or a whole body), `raw` the
/// entry as it came (cut to `rawLimitBytes`, with `"truncated":true`; `rawBytes` is its full
/// size). Control characters stay escaped by JSON. A day's file stops growing at `fileLimitBytes`
/// (later entries of that day are counted, not kept), and files older than `keepDays` are removed.
final class MalformedReportArchive: Sendable {
    /// The folder's name inside the data dir.
    static let folderName = "reports-malformed"

    /// The folder.
    let directory: String
    private let limits: MalformedReportLimits
    private let state = Mutex(OpenDay())

    private struct OpenDay {
        var day = ""
        var file: AppendOnlyFile?
    }

    init(dataDirectory: String, limits: MalformedReportLimits) {
        directory = (dataDirectory as NSString).appendingPathComponent(Self.folderName)
        self.limits = limits
    }

    /// Appends `entries`; returns how many were written (fewer once the day's file is full).
    func keep(_ entries: [MalformedStatusReport], format: StatusReportFormat, at time: Date)
        throws(StatusReportReceiverError) -> Int {
        let lines = entries.map { Self.line($0, format: format, at: time, rawLimit: limits.rawLimitBytes) }
        return try state.withLock { (open: inout OpenDay) throws(StatusReportReceiverError) -> Int in
            let file = try dayFile(at: time, &open)
            var kept = 0
            for line in lines where file.size + line.count <= limits.fileLimitBytes {
                try file.append(line)
                kept += 1
            }
            return kept
        }
    }

    /// The file entries received at `time` go to.
    func path(at time: Date) -> String {
        (directory as NSString).appendingPathComponent(JournalTime.day(time) + ".jsonl")
    }

    private func dayFile(at time: Date, _ open: inout OpenDay) throws(StatusReportReceiverError) -> AppendOnlyFile {
        let day = JournalTime.day(time)
        if open.day == day, let file = open.file { return file }
        try AppendOnlyFile.makeFolder(directory)
        let file = try AppendOnlyFile(path: path(at: time))
        open = OpenDay(day: day, file: file)
        removeFiles(olderThan: time)
        return file
    }

    /// Removes day files more than `keepDays` days before `time`'s day.
    private func removeFiles(olderThan time: Date) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let oldest = JournalTime.day(time.addingTimeInterval(-Double(limits.keepDays) * 86_400))
        for name in names where name.hasSuffix(".jsonl") && name.count == 14 && name < oldest + ".jsonl" {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }

    private static func line(_ entry: MalformedStatusReport, format: StatusReportFormat, at time: Date,
                             rawLimit: Int) -> [UInt8] {
        let raw = Array(entry.raw.utf8)
        let truncated = raw.count > rawLimit
        let record = MalformedLine(at: JournalTime.text(time), format: format.rawValue, entry: entry.entry,
                                   reason: entry.error.description,
                                   raw: truncated ? String(decoding: raw.prefix(rawLimit), as: UTF8.self) : entry.raw,
                                   rawBytes: raw.count, truncated: truncated ? true : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(record)) ?? Data("{}".utf8)) + [UInt8(ascii: "\n")]
    }
}

/// One line of a malformed-report file.
private struct MalformedLine: Encodable {
    var at: String
    var format: String
    var entry: Int?
    var reason: String
    var raw: String
    var rawBytes: Int
    var truncated: Bool?
}

/// Times in the receiver's files: UTC ISO 8601 with milliseconds, and UTC days as `YYYYMMDD`.
enum JournalTime {
    private static let instant = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let dayStyle = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeZone: .gmt).year().month().day()
    private static let stampStyle = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted, timeZone: .gmt)

    static func text(_ time: Date) -> String {
        instant.format(time)
    }

    static func date(_ text: String) -> Date? {
        try? instant.parse(text)
    }

    static func day(_ time: Date) -> String {
        dayStyle.format(time)
    }

    /// `yyyyMMdd'T'HHmmss'Z'`, for file names that sort by time.
    static func fileStamp(_ time: Date) -> String {
        stampStyle.format(time)
    }
}
