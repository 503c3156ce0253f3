import Foundation

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

/// The parts of a raw HTTP request the verifier reads.
struct SimulatorAuthInput {
    let method: String
    /// The path as received, e.g. `/sms/batchSendSms/v1`.
    let path: String
    /// The query string without `?` (empty when none).
    let query: String
    /// Header lookup by lowercase name (Host included); nil when absent.
    let header: (String) -> String?
    let body: [UInt8]
}

/// Checks X-WSSE and AK/SK authentication as the platform does (API reference 3.2.1.1),
/// answering the reference's codes (appendix 5.2.1) for each failure, then the account state.
///
/// Its own implementation of both schemes, written from the reference: it shares no code with
/// the client's signing, so a misreading on either side makes the end-to-end tests fail.
struct SimulatorAuthVerifier {
    let credentials: SimulatorCredentials
    let accountState: SimulatorAccountState

    /// X-WSSE `Created` may differ from the platform clock by 24 h, AK/SK `X-Sdk-Date` by 15 min.
    static let wsseSkew: Double = 24 * 3600
    static let akskSkew: Double = 15 * 60

    func verify(_ input: SimulatorAuthInput, now: Date) -> SimulatorAuthVerdict {
        guard let authorization = input.header("authorization")?.trimmingCharacters(in: .whitespaces),
              !authorization.isEmpty else { return .fail("E000001") }
        let verdict: SimulatorAuthVerdict
        if authorization.hasPrefix(SimulatorAKSKCheck.algorithm + " ") {
            verdict = SimulatorAKSKCheck(credentials: credentials)
                .verify(String(authorization.dropFirst(SimulatorAKSKCheck.algorithm.count + 1)), input, now: now)
        } else if authorization.hasPrefix("WSSE") {
            verdict = SimulatorWSSECheck(credentials: credentials)
                .verify(String(authorization.dropFirst(4)), token: input.header("x-wsse"), now: now)
        } else {
            return .fail("E000008")
        }
        guard verdict == .ok else { return verdict }
        if let failure = accountState.failure { return .fail(failure.code, failure.httpStatus) }
        return .ok
    }

    /// Parses `name="value", name=value` lists as both schemes write them.
    static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingCharacters(in: .whitespacesAndNewlines)
            var value = pair[1].trimmingCharacters(in: .whitespacesAndNewlines)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            result[name] = value
        }
        return result
    }
}
