import Foundation

/// Why the jobs folder was not read or a job file not picked up; each message says what to do.
public enum JobFolderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The jobs-folder memory an older groupsms kept (`jobs-folder.json`) cannot be read or decoded.
    case legacyIndexUnreadable(path: String, reason: String)
    /// The store failed while picking up `file`; nothing was submitted for it.
    case storeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case .legacyIndexUnreadable(let path, let reason):
            return "\(path) cannot be read (\(reason)); the jobs folder is not read, so that no file already "
                + "submitted is submitted again. Restore the file from a backup, or, if every job file in the "
                + "folder may be submitted anew, move it away; the daemon retries on its next scan"
        case .storeFailed(let file, let reason):
            return "\(file) not picked up: the job store failed (\(reason)); nothing was submitted. "
                + "The daemon retries on its next scan; fix the data dir (space, permissions) if this repeats"
        }
    }
}
