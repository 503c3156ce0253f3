import Foundation

/// A fresh directory under the system temporary folder, removed when the value is released.
///
/// Store tests open real SQLite files in one, so every test has its own data dir.
public final class TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates `<tmp>/groupsms-<prefix>-<uuid>`.
    public init(prefix: String = "test") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(name).path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
