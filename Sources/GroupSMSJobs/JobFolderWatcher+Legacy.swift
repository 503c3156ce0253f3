import GroupSMSModel
import GroupSMSStore
import Foundation

/// Where the migration of an older groupsms's `jobs-folder.json` stands.
enum LegacyIndexState: Sendable, Equatable {
    /// Not looked at yet in this process.
    case unchecked
    /// Migrated, or there was none: the folder may be read.
    case done
    /// Unreadable; the folder is not read until it is fixed or moved away (the message was logged).
    case blocked(String)
}

extension JobFolderWatcher {
    /// One entry of the old file: absolute path → SHA-256, job.
    private struct LegacyEntry: Decodable {
        var hash: String
        var job: Int64?
    }

    /// Reads the old `jobs-folder.json` once, moves its entries into the store and renames it
    /// `jobs-folder.json.migrated`. A file that cannot be read or decoded is reported (once per
    /// reason) and blocks the folder, because taking it as empty would submit every file again.
    mutating func migrateLegacyIndex(store: any JobStoring) async -> [String] {
        guard legacyState != .done else { return [] }
        guard FileManager.default.fileExists(atPath: legacyIndexPath) else {
            legacyState = .done
            return []
        }
        do {
            let entries = try legacyEntries()
            let added = try await store.importFolderIndex(entries)
            try FileManager.default.moveItem(atPath: legacyIndexPath, toPath: legacyIndexPath + ".migrated")
            legacyState = .done
            return ["\(legacyIndexPath): \(added) of \(entries.count) entries moved into the job store; "
                    + "the file is kept as jobs-folder.json.migrated"]
        } catch {
            let message = "\(error)"
            if legacyState == .blocked(message) { return [] }
            legacyState = .blocked(message)
            return [message]
        }
    }

    private func legacyEntries() throws -> [FolderIndexEntry] {
        let decoded: [String: LegacyEntry]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: legacyIndexPath))
            decoded = try JSONDecoder().decode([String: LegacyEntry].self, from: data)
        } catch {
            throw JobFolderError.legacyIndexUnreadable(path: legacyIndexPath, reason: Self.reason(error))
        }
        return decoded.sorted { $0.key < $1.key }.map { path, entry in
            FolderIndexEntry(path: JobFolderPaths.real(path), digest: entry.hash, job: entry.job.map(JobID.init),
                             outcome: entry.job == nil ? .refused : .submitted)
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): "not valid JSON: \(context.debugDescription)"
        case is DecodingError: "not the JSON groupsms writes (an object of path → {hash, job})"
        default: error.localizedDescription
        }
    }
}
