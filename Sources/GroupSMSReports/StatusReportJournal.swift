import Foundation
import GroupSMSModel
import GroupSMSStore
import Synchronization

/// The receiver's durable journal of reports the store could not take at once (SPEC §4: a
/// well-formed report is never lost). Each receiver appends to its own file,
/// `<data-dir>/reports-journal/<UTC yyyyMMdd'T'HHmmss'Z'>-<pid>-<random>.jsonl`, holding an
/// exclusive `flock` on it while it runs; one line per request, written and `fsync`ed before the
/// request is answered (appends waiting at the same moment share one `fsync`):
///
/// ```json
/// {"at":"2026-12-01T08:00:05.123Z","malformed":1,"reports":[{"smsMsgId":"m-1","status":"DELIVRD","total":1}]}
/// ```
/// `StatusReportReplayer` applies the lines in order and the store records how many lines of the
/// file are applied in the same transaction, so each line takes effect exactly once. A file
/// whose lines are all applied is removed; one left by a receiver that stopped (no lock) is
/// applied by the next receiver started on the data dir.
actor StatusReportJournal {
    /// The folder's name inside the data dir.
    static let folderName = "reports-journal"

    /// The folder.
    nonisolated let directory: String
    private let limitBytes: Int
    private let executor = BlockingWorkExecutor(label: "groupsms.report-journal")
    private var file: AppendOnlyFile?
    private var name: String?
    private var lines = 0
    private var waiting: [(line: [UInt8], continuation: CheckedContinuation<Void, any Error>)] = []
    private var flushScheduled = false
    private let open = Atomic(false)

    /// Journal writes `fsync`; on the shared cooperative threads they would stall other work.
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(dataDirectory: String, limitBytes: Int) {
        directory = (dataDirectory as NSString).appendingPathComponent(Self.folderName)
        self.limitBytes = limitBytes
    }

    /// True while this receiver's journal file is open (it may hold lines not applied yet): read
    /// without waiting for the journal, on every request.
    nonisolated var isOpen: Bool { open.load(ordering: .acquiring) }

    /// This receiver's journal while it holds lines not yet known to be applied: its name, path,
    /// and how many lines and bytes are durable.
    var current: (name: String, path: String, lines: Int, bytes: Int)? {
        guard let file, let name else { return nil }
        return (name, file.path, lines, file.size)
    }

    /// Appends one request's reports; returns once they are durable.
    func append(_ entry: JournalEntry, at time: Date) async throws {
        let line = try entry.line(at: time)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            waiting.append((line, continuation))
            if !flushScheduled {
                flushScheduled = true
                Task { self.flush() }
            }
        }
    }

    /// Removes the journal file when all its lines are applied (`applied` of them, as the store
    /// recorded); returns its name then, so the store can forget it.
    func removeIfApplied(_ applied: Int) -> String? {
        guard let file, let name, applied >= lines, waiting.isEmpty else { return nil }
        try? FileManager.default.removeItem(atPath: file.path)
        AppendOnlyFile.synchronizeDirectory(directory)
        self.file = nil
        self.name = nil
        lines = 0
        open.store(false, ordering: .releasing)
        return name
    }

    /// Closes the file (releasing its lock), leaving it for the next receiver when lines remain.
    func close() {
        file = nil
        name = nil
        lines = 0
        open.store(false, ordering: .releasing)
    }

    private func flush() {
        let batch = waiting
        waiting = []
        flushScheduled = false
        do {
            let file = try openFile()
            let bytes = batch.reduce(0) { $0 + $1.line.count }
            guard file.size + bytes <= limitBytes else {
                throw StatusReportReceiverError.journalFull(path: file.path, limitBytes: limitBytes)
            }
            try file.append(batch.flatMap(\.line))
            try file.synchronize()
            lines += batch.count
            for item in batch { item.continuation.resume() }
        } catch {
            for item in batch { item.continuation.resume(throwing: error) }
        }
    }

    private func openFile() throws(StatusReportReceiverError) -> AppendOnlyFile {
        if let file { return file }
        try AppendOnlyFile.makeFolder(directory)
        let stamp = JournalTime.fileStamp(Date())
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        let name = "\(stamp)-\(Self.hostTag)-\(ProcessInfo.processInfo.processIdentifier)-\(random).jsonl"
        let file = try AppendOnlyFile(path: (directory as NSString).appendingPathComponent(name), exclusive: true)
        _ = file.lock()
        AppendOnlyFile.synchronizeDirectory(directory)
        self.file = file
        self.name = name
        open.store(true, ordering: .releasing)
        return file
    }

    /// This machine's part of a journal name: a store shared by several machines keeps the
    /// applied-line counts of every machine's journals, and each machine may only forget its own.
    static let hostTag: String = {
        let host = ProcessInfo.processInfo.hostName.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "_" }
        return "h" + String(String(host).prefix(40))
    }()

    /// Whether a journal of this name was written on this machine (names from before host tags
    /// count as this machine's: such stores were never shared).
    static func isLocal(_ name: String) -> Bool {
        name.contains("-\(hostTag)-") || !name.contains("-h")
    }

    /// The journal files in `directory` no live receiver holds, oldest first, each locked for
    /// the caller (who removes it once applied).
    nonisolated static func unownedJournals(in directory: String) -> [(name: String, path: String, lock: FileLock)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        return names.compactMap { name in
            let path = (directory as NSString).appendingPathComponent(name)
            return FileLock(path: path).map { (name, path, $0) }
        }
    }
}

/// One journal line: the well-formed reports of one request and how many entries it had that
/// were malformed.
struct JournalEntry: Codable, Sendable {
    var at: String?
    var malformed: Int
    var reports: [JournalReport]

    init(reports: [StatusReport], malformed: Int) {
        self.malformed = malformed
        self.reports = reports.map(JournalReport.init)
    }

    /// The line as written: compact JSON, keys sorted, then a newline.
    func line(at time: Date) throws -> [UInt8] {
        var entry = self
        entry.at = JournalTime.text(time)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(entry)) + [UInt8(ascii: "\n")]
    }

    /// What the store applies.
    var journaled: JournaledStatusReports {
        JournaledStatusReports(reports: reports.map(\.report), malformedEntries: malformed)
    }
}

/// A report as a journal line holds it (the `StatusReport` fields, absent ones left out).
struct JournalReport: Codable, Sendable {
    var smsMsgId: String
    var status: String
    var total: Int?
    var sequence: Int?
    var source: String?
    var updateTime: String?
    var orgCode: String?
    var extend: String?
    var to: String?

    init(_ report: StatusReport) {
        (smsMsgId, status, total, sequence) = (report.smsMsgId, report.status, report.total, report.sequence)
        (source, updateTime, orgCode) = (report.source, report.updateTime, report.orgCode)
        (extend, to) = (report.extend, report.to)
    }

    var report: StatusReport {
        StatusReport(smsMsgId: smsMsgId, status: status, total: total, sequence: sequence, source: source,
                     updateTime: updateTime, orgCode: orgCode, extend: extend, to: to)
    }
}
