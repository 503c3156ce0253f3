import Foundation

/// The recipient files of a job (job file `recipients`, `check` and `send` arguments) with the
/// same file named twice read once: `a.xlsx`, `./a.xlsx` and a symbolic link to it are one file,
/// so its numbers are not counted twice as duplicates.
public enum RecipientFileList {
    /// `paths` without the ones that name a file already listed (compared by real path, first
    /// one kept), and a warning for each one dropped. A path that does not resolve (a missing
    /// file) is kept as written, so the importer can refuse it by name.
    public static func distinct(_ paths: [String]) -> (paths: [String], warnings: [String]) {
        var firstByRealPath: [String: String] = [:]
        var kept: [String] = []
        var warnings: [String] = []
        for path in paths {
            let key = realPath(path) ?? path
            if let first = firstByRealPath[key] {
                warnings.append(first == path
                    ? "\(path) is given more than once; reading it once"
                    : "\(path) is the same file as \(first); reading it once")
                continue
            }
            firstByRealPath[key] = path
            kept.append(path)
        }
        return (kept, warnings)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
