import Foundation

/// X-WSSE UsernameToken, as the platform checks it.
///
/// `Authorization: WSSE realm="SDP",profile="UsernameToken",type="Appkey"` and
/// `X-WSSE: UsernameToken Username="…",PasswordDigest="…",Nonce="…",Created="…"` where
/// PasswordDigest = Base64(lowercase-hex(SHA-256(Nonce + Created + secret))), Created is
/// `yyyy-MM-ddTHH:mm:ssZ` within 24 h of the platform's clock, and Nonce 1-128 letters or digits.
struct SimulatorWSSECheck {
    let credentials: SimulatorCredentials

    /// Checks the `Authorization` parameters (after `WSSE`) and the `X-WSSE` token.
    func verify(_ authorizationParameters: String, token: String?, now: Date) -> SimulatorAuthVerdict {
        let params = SimulatorAuthVerifier.parameters(authorizationParameters)
        guard let realm = params["realm"] else { return .fail("E000002") }
        guard realm == "SDP" else { return .fail("E000004") }
        guard let profile = params["profile"] else { return .fail("E000003") }
        guard profile == "UsernameToken" else { return .fail("E000005") }
        guard let type = params["type"] else { return .fail("E000007") }
        guard type == "Appkey" else { return .fail("E000006") }
        guard let token = token?.trimmingCharacters(in: .whitespaces), !token.isEmpty else { return .fail("E000020") }
        guard token.hasPrefix("UsernameToken") else { return .fail("E000026") }
        return verifyToken(SimulatorAuthVerifier.parameters(String(token.dropFirst("UsernameToken".count))), now: now)
    }

    private func verifyToken(_ fields: [String: String], now: Date) -> SimulatorAuthVerdict {
        guard let username = fields["Username"] ?? fields["UserName"] else { return .fail("E000021") }
        guard let nonce = fields["Nonce"] else { return .fail("E000022") }
        guard let created = fields["Created"] else { return .fail("E000023") }
        guard let digest = fields["PasswordDigest"] else { return .fail("E000024") }
        guard let createdDate = SimulatorTimeText.parseISO(created) else { return .fail("E000025") }
        guard username == credentials.appKey else { return .fail("E000102", 401) }
        guard (1...128).contains(nonce.count), nonce.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return .fail("E000101", 401)
        }
        guard abs(createdDate.timeIntervalSince(now)) <= SimulatorAuthVerifier.wsseSkew else { return .fail("E000110", 401) }
        guard digest == Self.passwordDigest(nonce: nonce, created: created, secret: credentials.appSecret) else {
            return .fail("E000105", 401)
        }
        return .ok
    }

    /// Base64 of the 64-character lowercase hex SHA-256 of nonce + created + secret.
    static func passwordDigest(nonce: String, created: String, secret: String) -> String {
        Data(SimulatorDigest.sha256Hex(Data((nonce + created + secret).utf8)).utf8).base64EncodedString()
    }
}
