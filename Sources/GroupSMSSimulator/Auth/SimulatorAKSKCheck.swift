import Foundation

/// AK/SK signing (SDK-HMAC-SHA256), as the platform checks it: the canonical request is rebuilt
/// from the raw HTTP request the simulator received.
///
/// canonical request = METHOD \n path ending in '/' \n sorted, URI-encoded query \n
/// `name:trimmed value\n` for each signed header, sorted \n signed names joined by ';' \n
/// hex(SHA-256(body)); string to sign = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(SHA-256(canonical));
/// signature = hex(HMAC-SHA256(secret, string to sign)). X-Sdk-Date within 15 min.
struct SimulatorAKSKCheck {
    static let algorithm = "SDK-HMAC-SHA256"
    let credentials: SimulatorCredentials

    /// Checks the `Authorization` parameters (after the algorithm name) against the request.
    func verify(_ authorizationParameters: String, _ input: SimulatorAuthInput, now: Date) -> SimulatorAuthVerdict {
        let params = SimulatorAuthVerifier.parameters(authorizationParameters)
        guard let access = params["Access"], let signedList = params["SignedHeaders"],
              let signature = params["Signature"] else { return .fail("E000101", 401) }
        guard access == credentials.appKey else { return .fail("E000102", 401) }
        let signed = signedList.split(separator: ";").map { $0.lowercased() }
        guard signed.contains("host"), signed.contains("x-sdk-date"), signed.contains("content-type") else {
            return .fail("E000101", 401)
        }
        guard let sdkDate = input.header("x-sdk-date"), let date = SimulatorTimeText.parseCompact(sdkDate) else {
            return .fail("E000101", 401)
        }
        guard abs(date.timeIntervalSince(now)) <= SimulatorAuthVerifier.akskSkew else { return .fail("E000110", 401) }
        guard let canonical = Self.canonicalRequest(input, signedHeaders: signed) else { return .fail("E000101", 401) }
        let stringToSign = "\(Self.algorithm)\n\(sdkDate)\n\(SimulatorDigest.sha256Hex(Data(canonical.utf8)))"
        guard SimulatorDigest.hmacSHA256Hex(key: credentials.appSecret, message: stringToSign) == signature.lowercased() else {
            return .fail("E000104", 401)
        }
        return .ok
    }

    /// The canonical request of `input` for `signedHeaders`; nil when a signed header is missing.
    static func canonicalRequest(_ input: SimulatorAuthInput, signedHeaders: [String]) -> String? {
        let names = signedHeaders.sorted()
        var headerLines = ""
        for name in names {
            guard let value = input.header(name) else { return nil }
            headerLines += name + ":" + value.trimmingCharacters(in: .whitespaces) + "\n"
        }
        return [input.method.uppercased(), canonicalPath(input.path), canonicalQuery(input.query), headerLines,
                names.joined(separator: ";"), SimulatorDigest.sha256Hex(input.body)].joined(separator: "\n")
    }

    /// Each path segment URI-encoded, and always a trailing '/'.
    static func canonicalPath(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { SimulatorFormCoding.encode(SimulatorFormCoding.decode($0, plusIsSpace: false)) }
        let joined = segments.joined(separator: "/")
        return joined.hasSuffix("/") ? joined : joined + "/"
    }

    /// `name=value` pairs URI-encoded, sorted by name then value, joined with '&'.
    static func canonicalQuery(_ query: String) -> String {
        var pairs: [(name: String, value: String)] = []
        for part in query.split(separator: "&") {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = SimulatorFormCoding.decode(pieces[0], plusIsSpace: false)
            let value = pieces.count > 1 ? SimulatorFormCoding.decode(pieces[1], plusIsSpace: false) : ""
            pairs.append((SimulatorFormCoding.encode(name), SimulatorFormCoding.encode(value)))
        }
        pairs.sort { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return pairs.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }
}
