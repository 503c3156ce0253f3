import Foundation

/// Where groupsms keeps its state: the job database and the suppression list.
///
/// Resolved from `--data-dir`, else `$GROUPSMS_HOME`, else `~/.groupsms`, so a daemon and a
/// foreground command started by the same user agree on it without extra flags.
public struct DataDirectory: Sendable, Equatable {
    /// The directory itself.
    public let path: String

    /// Uses `path` as the data directory.
    public init(path: String) {
        self.path = path
    }

    /// Resolves the data directory from an explicit flag value and the environment.
    public static func resolve(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DataDirectory {
        if let explicit, !explicit.isEmpty {
            return DataDirectory(path: explicit)
        }
        if let home = environment["GROUPSMS_HOME"], !home.isEmpty {
            return DataDirectory(path: home)
        }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
        return DataDirectory(path: (userHome as NSString).appendingPathComponent(".groupsms"))
    }

    /// The SQLite database holding jobs, numbers, chunks, send history and reports.
    public var databasePath: String {
        (path as NSString).appendingPathComponent("groupsms.sqlite")
    }

    /// Creates the directory (owner-only permissions) when it does not exist yet.
    public func create() throws {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
    }
}
