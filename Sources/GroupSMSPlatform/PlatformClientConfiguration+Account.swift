import Crypto
import Foundation

extension PlatformClientConfiguration {
    /// The account this configuration sends for, as the store keys its pace budget: a digest of
    /// the endpoint (scheme, host and port, lower-cased, no trailing slash) and the app key, so
    /// the store never holds the key and every process naming the same account shares one budget.
    public var paceAccount: String {
        var endpoint = endpoint.lowercased()
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        let digest = SHA256.hash(data: Data("\(endpoint)\n\(credentials.appKey)".utf8))
        return "acct-" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
