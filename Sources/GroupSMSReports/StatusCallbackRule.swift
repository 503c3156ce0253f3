import Foundation
import GroupSMSModel

/// A status-callback URL the platform could never reach, refused before anything is sent.
public struct StatusCallbackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what to do.
    public let description: String
}

/// Which status-callback URL the platform is given (SPEC §4): `--status-callback` (the job's own,
/// or `none` for no callback at all), else `--callback-url`, else the receiver's own address when
/// the platform can reach it. A wildcard listen address, or a loopback one when the endpoint is
/// not on loopback, is never handed out: the platform would post reports into the void.
public enum StatusCallbackRule {
    /// The `--status-callback` value that sends no callback, so the platform uses the URL set on
    /// the console (the only place it sends batch reports).
    public static let none = JobSettings.noStatusCallback

    /// The callback for requests, or nil for none. `receiverURL` is where this process's
    /// receiver listens (nil without one); `endpoint` is the platform's address.
    public static func resolve(statusCallback: String?, callbackURL: String?, receiverURL: String?,
                               endpoint: String) throws(StatusCallbackError) -> String? {
        if let statusCallback { return statusCallback == none ? nil : statusCallback }
        if let callbackURL { return callbackURL }
        guard let receiverURL, let host = URLComponents(string: receiverURL)?.host else { return nil }
        if isWildcard(host) {
            throw StatusCallbackError(description: "the receiver listens on \(host), a wildcard address the platform "
                + "cannot post to; pass --callback-url with the public URL that reaches it (e.g. "
                + "https://sms.example.com/reports/<token> behind your HTTPS proxy), or --status-callback none")
        }
        if isLoopback(host), let endpointHost = URLComponents(string: endpoint)?.host, !isLoopback(endpointHost) {
            throw StatusCallbackError(description: "the receiver listens on loopback (\(host)), which the platform at "
                + "\(endpointHost) cannot reach; pass --callback-url with the public URL that reaches it, "
                + "or --status-callback none")
        }
        return receiverURL
    }

    /// Whether `host` means every interface.
    static func isWildcard(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "0.0.0.0" || bare == "::" || bare == "0:0:0:0:0:0:0:0"
    }

    /// Whether `host` is this machine only.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}
