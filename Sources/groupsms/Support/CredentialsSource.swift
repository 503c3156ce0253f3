import Foundation
import GroupSMSPlatform

/// A refused input of a job command (credentials, endpoint, folder); the message says what to do.
struct CommandRefusal: Error, CustomStringConvertible {
    let description: String
}

/// Reads the platform credentials from the environment or a secret file (SPEC §3).
///
/// The file holds `app_key=...` and `app_secret=...` lines and must be the running user's own,
/// readable by nobody else (`SecretFile`). Secrets are never printed: errors name the file and
/// the key, never a value.
enum CredentialsSource {
    /// Credentials from `file` when given, else `GROUPSMS_APP_KEY` and `GROUPSMS_APP_SECRET`.
    static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> PlatformCredentials {
        if let file { return try PlatformCredentials.load(file: file) }
        guard let key = environment["GROUPSMS_APP_KEY"], !key.isEmpty,
              let secret = environment["GROUPSMS_APP_SECRET"], !secret.isEmpty else {
            throw CommandRefusal(description: "no credentials: set GROUPSMS_APP_KEY and GROUPSMS_APP_SECRET, "
                                   + "or give --credentials FILE (a 0600 file with app_key= and app_secret= lines), "
                                   + "or use --simulate")
        }
        return PlatformCredentials(appKey: key, appSecret: secret)
    }
}
