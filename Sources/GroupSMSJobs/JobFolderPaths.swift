import Crypto
import Foundation

/// How the jobs folder names a file and its content in the store's index.
enum JobFolderPaths {
    /// `path` with every symlink resolved (`realpath`), so the folder given through a link and
    /// the folder itself index the same files; `path` standardised when it cannot be resolved.
    static func real(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// SHA-256 of `data`, lower-case hex.
    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
