import Foundation
import GroupSMSPlatform
#if canImport(Glibc)
import Glibc
#endif

/// A refused input of a job command (credentials, endpoint, folder); the message says what to do.
struct CommandRefusal: Error, CustomStringConvertible {
    let description: String
}

/// Reads the platform credentials from the environment or a 0600 file (SPEC §3).
///
/// The file holds `key=value` lines: `app_key=...` and `app_secret=...`; blank lines and lines
/// starting with `#` are ignored. It is refused unless only its owner may read it (mode 0600 or
/// 0400), so a secret is never readable by others. Secrets are never printed: errors name the
/// file and the key, never a value.
enum CredentialsSource {
    /// Credentials from `file` when given, else `GROUPSMS_APP_KEY` and `GROUPSMS_APP_SECRET`.
    static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> PlatformCredentials {
        if let file { return try read(file) }
        guard let key = environment["GROUPSMS_APP_KEY"], !key.isEmpty,
              let secret = environment["GROUPSMS_APP_SECRET"], !secret.isEmpty else {
            throw CommandRefusal(description: "no credentials: set GROUPSMS_APP_KEY and GROUPSMS_APP_SECRET, "
                                   + "or give --credentials FILE (a 0600 file with app_key= and app_secret= lines), "
                                   + "or use --simulate")
        }
        return PlatformCredentials(appKey: key, appSecret: secret)
    }

    private static func read(_ path: String) throws -> PlatformCredentials {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CommandRefusal(description: "\(path): cannot read the credentials file (\(String(cString: strerror(errno))))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw CommandRefusal(description: "\(path): the credentials file has mode \(String(mode, radix: 8)); "
                                   + "it must be readable by its owner only: chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandRefusal(description: "\(path): cannot read the credentials file as UTF-8 text")
        }
        var values: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw CommandRefusal(description: "\(path):\(index + 1): expected key=value (app_key=..., app_secret=...)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard key == "app_key" || key == "app_secret" else {
                throw CommandRefusal(description: "\(path):\(index + 1): unknown key '\(key)'; use app_key and app_secret")
            }
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        guard let key = values["app_key"], !key.isEmpty, let secret = values["app_secret"], !secret.isEmpty else {
            throw CommandRefusal(description: "\(path): needs both app_key= and app_secret= lines")
        }
        return PlatformCredentials(appKey: key, appSecret: secret)
    }
}
