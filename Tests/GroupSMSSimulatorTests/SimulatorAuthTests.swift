import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSSimulator

/// The simulator's own verification of both schemes, against vectors computed outside Swift:
///
///   X-WSSE: base64(sha256hex('ac1c911c4792492687f8f6b2264a491e' + '2018-05-26T00:35:30Z' + 'groupsms-test-secret-0001'))
///     = NjEwNjBjMTc2Y2E0MDg1ZDRiNWE5NzMzMzBmN2EwYWI4ODE3NzZlODQ3ZWFjMjkyNDMzZjllNzllMzhjZGY5ZA==
///   AK/SK (python3 hashlib/hmac): POST /sms/batchSendSms/v1/, host smsapi.cn-north-4.myhuaweicloud.com:443,
///     X-Sdk-Date 20230519T005038Z, signed content-type;host;x-sdk-date, the body below
///     = 9959c1bfbf59c8b61487efcf129df7279aa2a450ce5262a1da4d69a4a01ef29b
@Suite("Simulator: authentication")
struct SimulatorAuthTests {
    let credentials = SimulatorCredentials(appKey: "ARBRz4bAXoFgEH7o4Ew308eXc1RA", appSecret: "groupsms-test-secret-0001")
    let body = "from=8824000000001&to=%2B8613112345678%2C%2B8613112345679&templateId=tmpl0001&templateParas=%5B%22520520%22%5D"
    let signedAt = Date(timeIntervalSince1970: 1_684_457_438)  // 2023-05-19T00:50:38Z
    let created = Date(timeIntervalSince1970: 1_527_294_930)  // 2018-05-26T00:35:30Z
    let wsseDigest = "NjEwNjBjMTc2Y2E0MDg1ZDRiNWE5NzMzMzBmN2EwYWI4ODE3NzZlODQ3ZWFjMjkyNDMzZjllNzllMzhjZGY5ZA=="

    private var verifier: SimulatorAuthVerifier { SimulatorAuthVerifier(credentials: credentials, accountState: .active) }

    private func akskInput(signature: String = "9959c1bfbf59c8b61487efcf129df7279aa2a450ce5262a1da4d69a4a01ef29b",
                           body: String? = nil, path: String = "/sms/batchSendSms/v1") -> SimulatorAuthInput {
        let headers = [
            "authorization": "SDK-HMAC-SHA256 Access=ARBRz4bAXoFgEH7o4Ew308eXc1RA, SignedHeaders=content-type;host;x-sdk-date, Signature=\(signature)",
            "content-type": "application/x-www-form-urlencoded", "host": "smsapi.cn-north-4.myhuaweicloud.com:443",
            "x-sdk-date": "20230519T005038Z", "accept": "application/json",
        ]
        return SimulatorAuthInput(method: "POST", path: path, query: "", header: { headers[$0] },
                                  body: Array((body ?? self.body).utf8))
    }

    private func wsseInput(digest: String, created: String = "2018-05-26T00:35:30Z") -> SimulatorAuthInput {
        let headers = [
            "authorization": #"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#,
            "x-wsse": #"UsernameToken Username="ARBRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="\#(digest)",Nonce="ac1c911c4792492687f8f6b2264a491e",Created="\#(created)""#,
        ]
        return SimulatorAuthInput(method: "POST", path: "/sms/batchSendSms/v1", query: "", header: { headers[$0] }, body: [])
    }

    @Test func akskKnownVectorIsAccepted() {
        #expect(verifier.verify(akskInput(), now: signedAt) == .ok)
        #expect(verifier.verify(akskInput(), now: signedAt.addingTimeInterval(15 * 60)) == .ok)
    }

    @Test func akskTamperingOrSkewIsRefused() {
        #expect(verifier.verify(akskInput(body: body + "&extend=x"), now: signedAt) == .fail("E000104", 401))
        #expect(verifier.verify(akskInput(path: "/sms/batchSendDiffSms/v1"), now: signedAt) == .fail("E000104", 401))
        #expect(verifier.verify(akskInput(signature: String(repeating: "0", count: 64)), now: signedAt) == .fail("E000104", 401))
        #expect(verifier.verify(akskInput(), now: signedAt.addingTimeInterval(15 * 60 + 1)) == .fail("E000110", 401))
        let other = SimulatorAuthVerifier(credentials: credentials.replacingAppKey("someoneElse"), accountState: .active)
        #expect(other.verify(akskInput(), now: signedAt) == .fail("E000102", 401))
    }

    @Test func wsseKnownVectorIsAccepted() {
        #expect(SimulatorWSSECheck.passwordDigest(nonce: "ac1c911c4792492687f8f6b2264a491e", created: "2018-05-26T00:35:30Z",
                                                  secret: "groupsms-test-secret-0001") == wsseDigest)
        #expect(verifier.verify(wsseInput(digest: wsseDigest), now: created.addingTimeInterval(24 * 3600)) == .ok)
    }

    @Test func wsseWrongDigestFormatOrAgeIsRefused() {
        #expect(verifier.verify(wsseInput(digest: "AAAA" + wsseDigest.dropFirst(4)), now: created) == .fail("E000105", 401))
        #expect(verifier.verify(wsseInput(digest: wsseDigest), now: created.addingTimeInterval(24 * 3600 + 1)) == .fail("E000110", 401))
        #expect(verifier.verify(wsseInput(digest: wsseDigest, created: "2018-05-26T00:35:30.000Z"), now: created) == .fail("E000025"))
        #expect(verifier.verify(wsseInput(digest: wsseDigest, created: "2018-05-26T08:35:30+08:00"), now: created) == .fail("E000025"))
    }

    @Test func canonicalPathEndsInASlashAndQueryIsSortedAndEncoded() {
        #expect(SimulatorAKSKCheck.canonicalPath("/sms/batchSendSms/v1") == "/sms/batchSendSms/v1/")
        #expect(SimulatorAKSKCheck.canonicalPath("/a b/") == "/a%20b/")
        #expect(SimulatorAKSKCheck.canonicalQuery("b=2&a=1&a=0&c") == "a=0&a=1&b=2&c=")
        #expect(SimulatorAKSKCheck.canonicalQuery("q=a%2Fb+c") == "q=a%2Fb%2Bc")
        #expect(SimulatorAKSKCheck.canonicalQuery("") == "")
    }

    @Test func aRequestSignedByHandInTheTestIsAcceptedOverHTTP() async throws {
        let clock = ManualWallClock()
        try await SimulatorTestKit.withSimulator(clock: clock) { simulator in
            let body = SimulatorTestKit.sendBody(["+8613100000001"])
            let answer = try await SimulatorTestKit.post(simulator, body: body, date: clock.now())
            #expect(answer.status == 200 && answer.code == "000000")
            #expect(answer.statuses == ["000000"])
            let stale = try await SimulatorTestKit.post(simulator, body: body, date: clock.now().addingTimeInterval(-16 * 60))
            #expect(stale.status == 401 && stale.code == "E000110")
            let headers = SimulatorTestKit.signedHeaders(host: "\(simulator.host):\(simulator.port)", path: "/sms/batchSendSms/v1",
                                                         contentType: "application/x-www-form-urlencoded", body: Data(body.utf8),
                                                         date: clock.now(), secret: "not-the-secret")
            let wrong = try await SimulatorTestKit.post(simulator, body: body, headers: headers)
            #expect(wrong.status == 401 && wrong.code == "E000104")
            #expect(await simulator.records().map(\.auth) == ["ok", "E000110", "E000104"])
        }
    }

    @Test func credentialsNeverPrintTheSecret() {
        #expect(!"\(SimulatorCredentials.demo)".contains(SimulatorCredentials.demo.appSecret))
        #expect(SimulatorCredentials.demo.appKey == SimulatorTestKit.appKey)
    }
}
