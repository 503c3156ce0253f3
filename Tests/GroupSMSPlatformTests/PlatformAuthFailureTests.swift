import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSSimulator
import GroupSMSTestSupport
import Testing

/// Every authentication failure the simulator answers must end the job (outcome `.fatal`).
@Suite("Platform authentication failures")
struct PlatformAuthFailureTests {
    private static let body = Array(PlatformFormEncoding.body([("from", "8824000000001"), ("to", "+8613100000001"),
                                                                ("templateId", "tmpl0001")]).utf8)
    private static let form = PlatformHTTPHeader("Content-Type", "application/x-www-form-urlencoded")
    private static let wsseAuthorization = PlatformHTTPHeader("Authorization", PlatformWSSE.authorizationValue)

    private static func token(_ fields: String) -> PlatformHTTPHeader { PlatformHTTPHeader("X-WSSE", fields) }

    /// Hand-made header sets and the code the reference gives for each fault.
    static let malformed: [(name: String, headers: [PlatformHTTPHeader], code: String)] = {
        let good = PlatformWSSE.headers(credentials: .simulatorDemo, nonce: "0123456789abcdef0123456789abcdef", created: Date())[1]
        func without(_ field: String) -> PlatformHTTPHeader {
            let kept = good.value.dropFirst("UsernameToken ".count).split(separator: ",").filter { !$0.hasPrefix(field + "=") }
            return token("UsernameToken " + kept.joined(separator: ","))
        }
        return [
            ("no Authorization", [form], "E000001"),
            ("unknown scheme", [form, PlatformHTTPHeader("Authorization", "Basic abc")], "E000008"),
            ("no realm", [form, PlatformHTTPHeader("Authorization", #"WSSE profile="UsernameToken",type="Appkey""#), good], "E000002"),
            ("no profile", [form, PlatformHTTPHeader("Authorization", #"WSSE realm="SDP",type="Appkey""#), good], "E000003"),
            ("realm not SDP", [form, PlatformHTTPHeader("Authorization", #"WSSE realm="X",profile="UsernameToken",type="Appkey""#), good], "E000004"),
            ("profile wrong", [form, PlatformHTTPHeader("Authorization", #"WSSE realm="SDP",profile="X",type="Appkey""#), good], "E000005"),
            ("type wrong", [form, PlatformHTTPHeader("Authorization", #"WSSE realm="SDP",profile="UsernameToken",type="X""#), good], "E000006"),
            ("no type", [form, PlatformHTTPHeader("Authorization", #"WSSE realm="SDP",profile="UsernameToken""#), good], "E000007"),
            ("no X-WSSE", [form, wsseAuthorization], "E000020"),
            ("no Username", [form, wsseAuthorization, without("Username")], "E000021"),
            ("no Nonce", [form, wsseAuthorization, without("Nonce")], "E000022"),
            ("no Created", [form, wsseAuthorization, without("Created")], "E000023"),
            ("no PasswordDigest", [form, wsseAuthorization, without("PasswordDigest")], "E000024"),
            ("Created malformed", [form, wsseAuthorization,
                                   token(good.value.replacingOccurrences(of: #"Created=""#, with: #"Created="x"#))], "E000025"),
            ("no UsernameToken", [form, wsseAuthorization, token(String(good.value.dropFirst("UsernameToken ".count)))], "E000026"),
            ("AK/SK without Signature", [form, PlatformHTTPHeader("Authorization", "SDK-HMAC-SHA256 Access=groupsmsDemoAppKey0001, SignedHeaders=host")], "E000101"),
        ]
    }()

    @Test func malformedHeadersGetTheReferenceCodesAndAreFatal() async throws {
        try await PlatformTestKit.withSimulator { simulator in
            for testCase in Self.malformed {
                let answer = try await PlatformTestKit.rawPost(simulator, headers: testCase.headers, body: Self.body)
                #expect(answer.code == testCase.code, "\(testCase.name)")
                #expect(answer.outcome == .fatal, "\(testCase.name)")
            }
            let records = await simulator.records()
            #expect(records.map(\.auth) == Self.malformed.map(\.code))
            #expect(records.allSatisfy { $0.acceptedNumbers.isEmpty })
        }
    }

    @Test(arguments: PlatformAuthScheme.allCases)
    func wrongKeySecretOrClockIsFatal(scheme: PlatformAuthScheme) async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let cases: [(PlatformCredentials, any WallClock, String)] = [
                (PlatformCredentials(appKey: "someoneElse", appSecret: "x"), SystemWallClock(), "E000102"),
                (PlatformCredentials.simulatorDemo.replacingAppKey("groupsmsDemoAppKey0001").withWrongSecret(),
                 SystemWallClock(), scheme == .wsse ? "E000105" : "E000104"),
                (PlatformCredentials.simulatorDemo,
                 ManualWallClock(start: Date().addingTimeInterval(scheme == .wsse ? -25 * 3600 : -16 * 60)), "E000110"),
            ]
            for (credentials, clock, code) in cases {
                let client = try PlatformTestKit.client(simulator.endpoint, scheme: scheme, credentials: credentials, clock: clock)
                defer { client.shutdown() }
                let answer = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1))))
                #expect(answer.httpStatus == 401, "\(code)")
                #expect(answer.code == code)
                #expect(answer.outcome == .fatal, "\(code)")
            }
        }
    }

    @Test(arguments: SimulatorAccountState.allCases.filter { $0 != .active })
    func accountProblemsAreFatal(state: SimulatorAccountState) async throws {
        let expected: [SimulatorAccountState: (String, Int)] = [
            .appKeyDisabled: ("E000103", 401), .apiNotAllowed: ("E000106", 401), .userDeactivated: ("E000109", 401),
            .unknownUser: ("E000111", 401), .frozen: ("E000112", 401), .ipNotWhitelisted: ("E000620", 403),
        ]
        try await PlatformTestKit.withSimulator({ $0.accountState = state }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint)
            defer { client.shutdown() }
            let answer = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1))))
            #expect(answer.code == expected[state]?.0)
            #expect(answer.httpStatus == expected[state]?.1)
            #expect(answer.outcome == .fatal)
        }
    }

    @Test func wrongContentTypeIsFatal() async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let headers = PlatformTestKit.signedHeaders(simulator, contentType: "text/plain", body: Self.body)
            let answer = try await PlatformTestKit.rawPost(simulator, headers: headers, body: Self.body)
            #expect(answer.code == "E000040")
            #expect(answer.outcome == .fatal)
        }
    }
}

extension PlatformCredentials {
    /// The same key with a secret that is not the simulator's.
    func withWrongSecret() -> PlatformCredentials {
        PlatformCredentials(appKey: appKey, appSecret: "not-the-secret")
    }
}
