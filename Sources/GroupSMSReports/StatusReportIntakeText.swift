import Foundation
import GroupSMSStore

/// The data dir's status-report intake in one line, for `groupsms show`: malformed entries and
/// where they are kept, reports for unknown message ids (held and dropped by the cap), and
/// reports still journaled because the store could not take them yet.
public enum StatusReportIntakeText {
    /// The line, or nil when there is nothing to tell (no malformed, unknown or journaled report).
    public static func line(store: any JobStoring) async throws -> String? {
        let counts = try await store.statusReportIntakeCounts()
        let dataDirectory = store.dataDirectory.path
        let journalFolder = (dataDirectory as NSString).appendingPathComponent(StatusReportJournal.folderName)
        let journaled = pendingLines(in: journalFolder, applied: try await store.journalsApplied())
        var parts: [String] = []
        if counts.malformed > 0 {
            let folder = (dataDirectory as NSString).appendingPathComponent(MalformedReportArchive.folderName)
            parts.append("\(counts.malformed) malformed entr\(counts.malformed == 1 ? "y" : "ies"), kept raw in \(folder)")
        }
        if counts.unknownReceived > 0 || counts.held > 0 {
            parts.append("\(counts.unknownReceived) for unknown message ids (\(counts.held) held, "
                         + "\(counts.droppedHeld) dropped by the cap)")
        }
        if journaled > 0 {
            parts.append("\(journaled) request\(journaled == 1 ? "" : "s") journaled in \(journalFolder), "
                         + "applied when a receiver runs and the store takes them")
        }
        return parts.isEmpty ? nil : "Status reports in this data dir: " + parts.joined(separator: "; ") + "\n"
    }

    /// Journal lines not applied yet, over every journal file in `folder`.
    static func pendingLines(in folder: String, applied: [String: Int]) -> Int {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }
        return names.reduce(0) { total, name in
            let path = (folder as NSString).appendingPathComponent(name)
            let lines = (try? Data(contentsOf: URL(fileURLWithPath: path)))?.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } ?? 0
            return total + max(lines - (applied[name] ?? 0), 0)
        }
    }
}
