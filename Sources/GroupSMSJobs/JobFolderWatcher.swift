import Crypto
import GroupSMSModel
import GroupSMSStore
import Foundation

/// Turns the YAML files of a jobs folder into jobs, remembering which file and content made which job.
///
/// The memory lives in `<data-dir>/jobs-folder.json` (absolute path → SHA-256 of the file, job),
/// so a restarted daemon does not submit a file twice. A file whose content changed:
/// - while its job is still scheduled and outside the 5-minute window, replaces the job
///   (the old one is cancelled, a new one made from the new content, since recipients,
///   template or time may all have changed);
/// - once the job is inside the window or started, is ignored with a message (the 5-minute
///   rule; to send a new campaign, save it under a new file name).
/// A file that cannot be read or imported is reported once per content, not on every scan.
public struct JobFolderWatcher: Sendable {
    struct Entry: Codable, Sendable {
        var hash: String
        var job: Int64?
    }

    /// The folder of job files.
    public let folder: String
    private let indexPath: String
    private var entries: [String: Entry]

    /// A watcher for `folder` whose memory is kept in `dataDirectory`.
    public init(folder: String, dataDirectory: DataDirectory) {
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        indexPath = (dataDirectory.path as NSString).appendingPathComponent("jobs-folder.json")
        let data = FileManager.default.contents(atPath: indexPath) ?? Data()
        entries = (try? JSONDecoder().decode([String: Entry].self, from: data)) ?? [:]
    }

    /// The job a file made, if any.
    public func job(forFile path: String) -> JobID? {
        entries[URL(fileURLWithPath: path).standardizedFileURL.path]?.job.map(JobID.init)
    }

    /// Reads new and changed job files, creates, replaces or keeps jobs, and returns one line
    /// per thing it did. `endpoint` is stored on the jobs (never credentials).
    public mutating func scan(store: JobStore, clock: any WallClock, endpoint: String?) async -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var messages: [String] = []
        var changed = false
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            let previous = entries[path]
            guard previous?.hash != hash else { continue }
            changed = true
            let (job, message) = await apply(path: path, previous: previous?.job.map(JobID.init), store: store,
                                             clock: clock, endpoint: endpoint)
            entries[path] = Entry(hash: hash, job: job?.rawValue)
            messages.append(message)
        }
        if changed { save() }
        return messages
    }

    private func apply(path: String, previous: JobID?, store: JobStore, clock: any WallClock,
                       endpoint: String?) async -> (JobID?, String) {
        // Read and import first, so a broken edit never cancels the job it was meant to change.
        let file: JobFile
        let draft: JobDraft
        do {
            file = try JobFile.load(path: path, clock: clock)
            draft = try await JobDraft.importing(file, endpoint: endpoint)
        } catch {
            let kept = previous.map { "; \($0) is kept as it was" } ?? ""
            return (previous, "\(path) refused: \(error)\(kept)")
        }
        if let previous {
            do {
                _ = try await store.cancelJob(previous)
            } catch {
                return (previous, "\(path) changed, but \(previous) is kept as it was: \(error). "
                        + "To send the new version, save it under a new file name.")
            }
        }
        do {
            let job = try await store.createJob(draft)
            let verb = previous.map { "replaces \($0) (cancelled)" } ?? "submitted"
            return (job.id, "\(path): \(job.id) '\(job.name)' \(verb), \(draft.numbers.count) numbers, "
                    + "starts \(ISO8601DateFormatter().string(from: job.scheduledAt))")
        } catch {
            return (nil, "\(path) refused: \(error)")
        }
    }

    private func save() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(entries) else { return }
        let url = URL(fileURLWithPath: indexPath)
        try? data.write(to: url, options: .atomic)
    }
}
