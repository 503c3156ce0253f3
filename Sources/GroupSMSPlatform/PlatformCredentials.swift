/// The application key and secret of a Message & SMS application.
///
/// The secret is kept internal to GroupSMSPlatform: only the signing functions read it, and every
/// textual or reflected form of this value shows the key with the secret redacted, so logging or
/// dumping a credentials value cannot leak it.
public struct PlatformCredentials: Sendable, Equatable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The application key (public identifier, sent with every request).
    public let appKey: String
    /// The application secret; never printed.
    let appSecret: String

    /// Creates credentials from the console's Application Key and Application Secret.
    public init(appKey: String, appSecret: String) {
        self.appKey = appKey
        self.appSecret = appSecret
    }

    /// The same secret under another application key.
    public func replacingAppKey(_ appKey: String) -> PlatformCredentials {
        PlatformCredentials(appKey: appKey, appSecret: appSecret)
    }

    /// `text` with every occurrence of the secret replaced by `<redacted>`: log redaction without
    /// the secret itself leaving this module.
    public func redactingSecret(in text: String) -> String {
        appSecret.count < 4 ? text : text.replacingOccurrences(of: appSecret, with: "<redacted>")
    }

    /// Whether the secret is empty (a configuration mistake worth reporting before sending).
    public var hasEmptySecret: Bool { appSecret.isEmpty }

    public var description: String { "PlatformCredentials(appKey: \(appKey), appSecret: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["appKey": appKey, "appSecret": "<redacted>"], displayStyle: .struct)
    }
}

/// The two authentication schemes the sending API accepts.
public enum PlatformAuthScheme: String, Sendable, Equatable, CaseIterable {
    /// X-WSSE UsernameToken with a SHA-256 password digest.
    case wsse
    /// AK/SK request signing, SDK-HMAC-SHA256 (recommended by the vendor).
    case akSk = "aksk"
}
