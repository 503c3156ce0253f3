import Crypto
import Foundation

/// X-WSSE UsernameToken authentication (API reference 3.2.1.1, SPEC §2).
///
/// `PasswordDigest = Base64(lowercase-hex(SHA-256(Nonce + Created + AppSecret)))`: the Base64 of
/// the 64-character hex string, which is what the vendor's demo code computes and what the
/// reference's example digest decodes to.
public enum PlatformWSSE {
    /// The fixed `Authorization` header value for X-WSSE.
    public static let authorizationValue = #"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#

    /// The password digest for `nonce`, `created` (already formatted) and the credentials' secret.
    public static func passwordDigest(nonce: String, created: String, credentials: PlatformCredentials) -> String {
        let hash = SHA256.hash(data: Data((nonce + created + credentials.appSecret).utf8))
        return Data(PlatformHex.lowercase(hash).utf8).base64EncodedString()
    }

    /// The `X-WSSE` header value for the given nonce and creation time.
    public static func token(credentials: PlatformCredentials, nonce: String, created: Date) -> String {
        let createdText = PlatformTimestamp.iso(created)
        let digest = passwordDigest(nonce: nonce, created: createdText, credentials: credentials)
        return #"UsernameToken Username="\#(credentials.appKey)",PasswordDigest="\#(digest)",Nonce="\#(nonce)",Created="\#(createdText)""#
    }

    /// Both headers (`Authorization`, `X-WSSE`) for one request.
    public static func headers(credentials: PlatformCredentials, nonce: String, created: Date) -> [PlatformHTTPHeader] {
        [PlatformHTTPHeader("Authorization", authorizationValue),
         PlatformHTTPHeader("X-WSSE", token(credentials: credentials, nonce: nonce, created: created))]
    }

    /// A fresh nonce: 32 lowercase hex characters from the system's secure random source.
    public static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return PlatformHex.lowercase(bytes)
    }
}

/// Lowercase hex encoding shared by both signing schemes.
enum PlatformHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
