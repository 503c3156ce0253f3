import GroupSMSModel
import GroupSMSStore
import Foundation

/// Turns the YAML files of a jobs folder into jobs; the store remembers which file content made
/// which job (SPEC §4).
///
/// A file is known by its real path (symlinks resolved) and the SHA-256 of its bytes; that index
/// lives in the store and changes in the same transaction as the job it creates or replaces, so
/// a content becomes at most one job even if the daemon is killed at any instant, and a content
/// already handled is never submitted again, even after a restart. A file whose content changed:
/// - while its job is still scheduled and outside the 5-minute window, replaces the job
///   (the old one is cancelled and a new one made from the new content, atomically);
/// - once the job is inside the window or started, is ignored with a message (the 5-minute
///   rule; to send a new campaign, save it under a new file name).
/// A file that cannot be read or imported is reported once per content. A store error stops the
/// pick-up with a message and submits nothing; the next scan tries again.
public struct JobFolderWatcher: Sendable {
    /// The folder of job files, as given (standardised).
    public let folder: String
    let legacyIndexPath: String
    /// Called at each `FolderPickupPoint` of a submission; tests inject faults and kills there.
    let checkpoint: @Sendable (FolderPickupPoint) throws -> Void
    /// Contents handled by this process (real path → digest), so an unchanged file costs no query.
    private var handled: [String: String] = [:]
    /// The last failure reported per file, so a failure that repeats every scan is logged once.
    private var reported: [String: String] = [:]
    var legacyState = LegacyIndexState.unchecked

    /// A watcher for `folder`; an older groupsms's memory in `dataDirectory` is migrated on the first scan.
    public init(folder: String, dataDirectory: DataDirectory,
                checkpoint: @escaping @Sendable (FolderPickupPoint) throws -> Void = { _ in }) {
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        legacyIndexPath = (dataDirectory.path as NSString).appendingPathComponent("jobs-folder.json")
        self.checkpoint = checkpoint
    }

    /// Reads new and changed job files, creates, replaces or keeps jobs, and returns one line
    /// per thing it did. `endpoint` is stored on the jobs (never credentials).
    public mutating func scan(store: any JobStoring, clock: any WallClock, endpoint: String?) async -> [String] {
        var messages = await migrateLegacyIndex(store: store)
        guard legacyState == .done else { return messages }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = JobFolderPaths.real((folder as NSString).appendingPathComponent(name))
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let digest = JobFolderPaths.digest(data)
            guard handled[path] != digest else { continue }
            do {
                if let line = try await pickUp(path: path, digest: digest, store: store, clock: clock, endpoint: endpoint) {
                    messages.append(line)
                }
                handled[path] = digest
                reported[path] = nil
            } catch {
                let line = JobFolderError.storeFailed(file: path, reason: "\(error)").description
                if reported[path] != line { messages.append(line) }
                reported[path] = line
                break  // the store is failing: stop this pick-up, try again on the next scan
            }
        }
        return messages
    }

    /// Handles one content; returns the line to log (nil: nothing new). Throws only store errors.
    private func pickUp(path: String, digest: String, store: any JobStoring, clock: any WallClock,
                        endpoint: String?) async throws -> String? {
        if let entry = try await store.folderIndexEntry(path: path, digest: digest) {
            guard !entry.isLatest else { return nil }
            let made = entry.job.map { " (it made \($0))" } ?? ""
            return "\(path) went back to a content already handled\(made); it is not submitted again. "
                + "To send it again, save it under a new file name"
        }
        // Read and import first, so a broken edit never cancels the job it was meant to change.
        let draft: JobDraft
        do {
            draft = try await JobDraft.importing(try JobFile.load(path: path, clock: clock), endpoint: endpoint,
                                                 store: store)
        } catch {
            return try await refused(path: path, digest: digest, reason: "\(error)", store: store)
        }
        let submission: FolderSubmission
        do {
            submission = try await store.submitFolderJob(draft, path: path, digest: digest, checkpoint: checkpoint)
        } catch StoreError.invalidInput(let reason) {
            return try await refused(path: path, digest: digest, reason: reason, store: store)
        }
        try checkpoint(.afterCommit)
        var line = Self.line(for: submission, path: path, numbers: draft.numbers.count)
        if case .submitted(let job, _) = submission,
           let warning = try? draft.sendWindowForecast(start: job.scheduledAt).warning {
            line += "; warning: " + warning
        }
        return line
    }

    private func refused(path: String, digest: String, reason: String, store: any JobStoring) async throws -> String {
        let current = try await store.recordFolderRefusal(path: path, digest: digest)
        return "\(path) refused: \(reason)" + (current.map { "; \($0) is kept as it was" } ?? "")
    }

    private static func line(for submission: FolderSubmission, path: String, numbers: Int) -> String {
        switch submission {
        case .submitted(let job, let replaced):
            let verb = replaced.map { "replaces \($0) (cancelled)" } ?? "submitted"
            return "\(path): \(job.id) '\(job.name)' \(verb), \(numbers) numbers, "
                + "starts \(ISO8601DateFormatter().string(from: job.scheduledAt))"
        case .kept(let job, let reason):
            return "\(path) changed, but \(job) is kept as it was: \(reason). "
                + "To send the new version, save it under a new file name."
        case .alreadyIndexed(let entry):
            return "\(path): this content was already handled by another process" + (entry.job.map { " (\($0))" } ?? "")
        }
    }
}
