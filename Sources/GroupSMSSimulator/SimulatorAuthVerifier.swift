import Foundation
import GroupSMSPlatform

/// The outcome of checking a request's authentication.
struct SimulatorAuthVerdict: Equatable {
    /// The failure code, nil when the request authenticated.
    let code: String?
    /// The HTTP status to answer a failure with.
    let httpStatus: Int

    static let ok = SimulatorAuthVerdict(code: nil, httpStatus: 200)

    static func fail(_ code: String, _ httpStatus: Int = 400) -> SimulatorAuthVerdict {
        SimulatorAuthVerdict(code: code, httpStatus: httpStatus)
    }

    /// The verdict as logged: "ok" or the failure code.
    var logValue: String { code ?? "ok" }
}

/// The parts of a request the verifier reads.
struct SimulatorAuthInput {
    let method: String
    let path: String
    let query: String
    /// Header lookup by lowercase name (Host included); nil when absent.
    let header: (String) -> String?
    let body: [UInt8]
}

/// Checks X-WSSE and AK/SK authentication as the platform does, answering the reference's
/// codes (appendix 5.2.1) for each failure.
struct SimulatorAuthVerifier {
    let credentials: PlatformCredentials
    let accountState: SimulatorAccountState

    /// X-WSSE `Created` may differ from the platform clock by 24 h, AK/SK `X-Sdk-Date` by 15 min.
    static let wsseSkew: Double = 24 * 3600
    static let akskSkew: Double = 15 * 60

    func verify(_ input: SimulatorAuthInput, now: Date) -> SimulatorAuthVerdict {
        guard let authorization = input.header("authorization")?.trimmingCharacters(in: .whitespaces),
              !authorization.isEmpty else { return .fail("E000001") }
        let verdict: SimulatorAuthVerdict
        if authorization.hasPrefix(PlatformAKSK.algorithm + " ") {
            verdict = verifyAKSK(authorization, input, now: now)
        } else if authorization.hasPrefix("WSSE") {
            verdict = verifyWSSE(authorization, input, now: now)
        } else {
            return .fail("E000008")
        }
        guard verdict == .ok else { return verdict }
        if let failure = accountState.failure { return .fail(failure.code, failure.httpStatus) }
        return .ok
    }

    private func verifyWSSE(_ authorization: String, _ input: SimulatorAuthInput, now: Date) -> SimulatorAuthVerdict {
        let params = Self.parameters(String(authorization.dropFirst(4)))
        guard let realm = params["realm"] else { return .fail("E000002") }
        guard realm == "SDP" else { return .fail("E000004") }
        guard let profile = params["profile"] else { return .fail("E000003") }
        guard profile == "UsernameToken" else { return .fail("E000005") }
        guard let type = params["type"] else { return .fail("E000007") }
        guard type == "Appkey" else { return .fail("E000006") }
        guard let token = input.header("x-wsse")?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            return .fail("E000020")
        }
        guard token.hasPrefix("UsernameToken") else { return .fail("E000026") }
        let fields = Self.parameters(String(token.dropFirst("UsernameToken".count)))
        guard let username = fields["Username"] ?? fields["UserName"] else { return .fail("E000021") }
        guard let nonce = fields["Nonce"] else { return .fail("E000022") }
        guard let created = fields["Created"] else { return .fail("E000023") }
        guard let digest = fields["PasswordDigest"] else { return .fail("E000024") }
        guard let createdDate = PlatformTimestamp.parseISO(created) else { return .fail("E000025") }
        guard username == credentials.appKey else { return .fail("E000102", 401) }
        guard (1...128).contains(nonce.count), nonce.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return .fail("E000101", 401)
        }
        guard abs(createdDate.timeIntervalSince(now)) <= Self.wsseSkew else { return .fail("E000110", 401) }
        let expected = PlatformWSSE.passwordDigest(nonce: nonce, created: created, credentials: credentials)
        guard expected == digest else { return .fail("E000105", 401) }
        return .ok
    }

    private func verifyAKSK(_ authorization: String, _ input: SimulatorAuthInput, now: Date) -> SimulatorAuthVerdict {
        let params = Self.parameters(String(authorization.dropFirst(PlatformAKSK.algorithm.count + 1)))
        guard let access = params["Access"], let signedList = params["SignedHeaders"],
              let signature = params["Signature"] else { return .fail("E000101", 401) }
        guard access == credentials.appKey else { return .fail("E000102", 401) }
        let signed = signedList.split(separator: ";").map { String($0).lowercased() }
        guard signed.contains("host"), signed.contains("x-sdk-date"), signed.contains("content-type") else {
            return .fail("E000101", 401)
        }
        guard let sdkDate = input.header("x-sdk-date"), let date = PlatformTimestamp.parseCompact(sdkDate) else {
            return .fail("E000101", 401)
        }
        guard abs(date.timeIntervalSince(now)) <= Self.akskSkew else { return .fail("E000110", 401) }
        var headers: [PlatformHTTPHeader] = []
        for name in signed {
            guard let value = input.header(name) else { return .fail("E000101", 401) }
            headers.append(PlatformHTTPHeader(name, value))
        }
        let canonical = PlatformAKSK.canonicalRequest(method: input.method, path: input.path, query: input.query,
                                                      headers: headers, signedHeaders: signed, body: input.body)
        let expected = PlatformAKSK.signature(
            stringToSign: PlatformAKSK.stringToSign(canonicalRequest: canonical, sdkDate: sdkDate), credentials: credentials)
        guard expected == signature else { return .fail("E000104", 401) }
        return .ok
    }

    /// Parses `name="value", name=value` lists as both schemes write them.
    static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingCharacters(in: .whitespaces)
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            result[name] = value
        }
        return result
    }
}
