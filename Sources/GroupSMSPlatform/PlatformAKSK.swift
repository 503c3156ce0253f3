import Crypto
import Foundation

/// AK/SK request signing, SDK-HMAC-SHA256 (SPEC §2, the vendor's signing SDK).
///
/// canonical request = METHOD \n canonical URI (path ending in '/') \n canonical query \n
/// canonical headers (`name:value\n` each, sorted) \n signed header names \n hex(SHA-256(body));
/// string to sign = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(SHA-256(canonical request));
/// signature = hex(HMAC-SHA256(secret, string to sign)).
public enum PlatformAKSK {
    /// The algorithm name that starts the `Authorization` header and the string to sign.
    public static let algorithm = "SDK-HMAC-SHA256"

    /// The canonical request for the signed headers (`headers` may hold more than are signed).
    public static func canonicalRequest(method: String, path: String, query: String,
                                        headers: [PlatformHTTPHeader], signedHeaders: [String],
                                        body: [UInt8]) -> String {
        let canonicalURI = path.hasSuffix("/") ? path : path + "/"
        let names = signedHeaders.map { $0.lowercased() }.sorted()
        var canonicalHeaders = ""
        for name in names {
            let values = headers.filter { $0.name.lowercased() == name }
                .map { $0.value.trimmingCharacters(in: .whitespaces) }
            canonicalHeaders += "\(name):\(values.joined(separator: ","))\n"
        }
        return [method.uppercased(), canonicalURI, canonicalQuery(query), canonicalHeaders,
                names.joined(separator: ";"), PlatformHex.lowercase(SHA256.hash(data: body))]
            .joined(separator: "\n")
    }

    /// The string to sign for a canonical request and its `X-Sdk-Date` value.
    public static func stringToSign(canonicalRequest: String, sdkDate: String) -> String {
        let hash = SHA256.hash(data: Data(canonicalRequest.utf8))
        return "\(algorithm)\n\(sdkDate)\n\(PlatformHex.lowercase(hash))"
    }

    /// The lowercase-hex HMAC-SHA256 of `stringToSign` keyed with the credentials' secret.
    public static func signature(stringToSign: String, credentials: PlatformCredentials) -> String {
        let key = SymmetricKey(data: Data(credentials.appSecret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)
        return PlatformHex.lowercase(mac)
    }

    /// The `Authorization` header value.
    public static func authorizationValue(appKey: String, signedHeaders: [String], signature: String) -> String {
        let names = signedHeaders.map { $0.lowercased() }.sorted().joined(separator: ";")
        return "\(algorithm) Access=\(appKey), SignedHeaders=\(names), Signature=\(signature)"
    }

    /// The headers to add to a request whose other headers (at least Content-Type and Host)
    /// are `headers`: `X-Sdk-Date` and `Authorization`, signing content-type, host, x-sdk-date.
    public static func headers(credentials: PlatformCredentials, method: String, path: String,
                               query: String = "", headers: [PlatformHTTPHeader], body: [UInt8],
                               date: Date) -> [PlatformHTTPHeader] {
        let sdkDate = PlatformTimestamp.compact(date)
        let all = headers + [PlatformHTTPHeader("X-Sdk-Date", sdkDate)]
        let signed = ["content-type", "host", "x-sdk-date"]
        let canonical = canonicalRequest(method: method, path: path, query: query, headers: all,
                                         signedHeaders: signed, body: body)
        let sig = signature(stringToSign: stringToSign(canonicalRequest: canonical, sdkDate: sdkDate),
                            credentials: credentials)
        return [PlatformHTTPHeader("X-Sdk-Date", sdkDate),
                PlatformHTTPHeader("Authorization", authorizationValue(appKey: credentials.appKey,
                                                                       signedHeaders: signed, signature: sig))]
    }

    /// Sorted, URI-encoded `name=value` pairs joined with '&' (empty stays empty).
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { part -> (String, String) in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PlatformFormEncoding.decode(String(pieces[0]))
            let value = pieces.count > 1 ? PlatformFormEncoding.decode(String(pieces[1])) : ""
            return (PlatformFormEncoding.encode(name), PlatformFormEncoding.encode(value))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}
