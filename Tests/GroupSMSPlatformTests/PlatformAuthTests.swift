import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSPlatform

/// Fixed vectors computed independently of this code:
///
/// X-WSSE (openssl):
///   printf '%s' 'ac1c911c4792492687f8f6b2264a491e2018-05-26T00:35:30Zgroupsms-test-secret-0001' \
///     | openssl dgst -sha256 -hex | awk '{print $2}' | tr -d '\n' | base64 -w0
///   → NjEwNjBjMTc2Y2E0MDg1ZDRiNWE5NzMzMzBmN2EwYWI4ODE3NzZlODQ3ZWFjMjkyNDMzZjllNzllMzhjZGY5ZA==
///   (python3: base64.b64encode(hashlib.sha256((n+c+s).encode()).hexdigest().encode()) gives the same)
///
/// AK/SK (python3 hashlib/hmac, cross-checked with openssl dgst -sha256 [-hmac]):
///   body = 'from=8824000000001&to=%2B8613112345678%2C%2B8613112345679&templateId=tmpl0001&templateParas=%5B%22520520%22%5D'
///   canonical = 'POST\n/sms/batchSendSms/v1/\n\ncontent-type:application/x-www-form-urlencoded\n'
///               'host:smsapi.cn-north-4.myhuaweicloud.com:443\nx-sdk-date:20230519T005038Z\n\n'
///               'content-type;host;x-sdk-date\n' + sha256(body).hexdigest()
///   sha256(body)      = 4a830a04dd5d797b63aeed24f42d5fc07ccba284eb6c680aeb6cb1743d79a33d
///   sha256(canonical) = ffe617381454e10ace7f1e9c554ea5242267716149b2df733c06b58d492900ce
///   hmac(secret, 'SDK-HMAC-SHA256\n20230519T005038Z\n' + sha256(canonical))
///                     = 9959c1bfbf59c8b61487efcf129df7279aa2a450ce5262a1da4d69a4a01ef29b
@Suite("Platform authentication")
struct PlatformAuthTests {
    let credentials = PlatformCredentials(appKey: "ARBRz4bAXoFgEH7o4Ew308eXc1RA", appSecret: "groupsms-test-secret-0001")
    let created = Date(timeIntervalSince1970: 1_527_294_930)  // 2018-05-26T00:35:30Z
    let vectorBody = "from=8824000000001&to=%2B8613112345678%2C%2B8613112345679&templateId=tmpl0001&templateParas=%5B%22520520%22%5D"

    @Test func wssePasswordDigestMatchesOpenSSLVector() {
        let digest = PlatformWSSE.passwordDigest(nonce: "ac1c911c4792492687f8f6b2264a491e",
                                                 created: "2018-05-26T00:35:30Z", credentials: credentials)
        #expect(digest == "NjEwNjBjMTc2Y2E0MDg1ZDRiNWE5NzMzMzBmN2EwYWI4ODE3NzZlODQ3ZWFjMjkyNDMzZjllNzllMzhjZGY5ZA==")
    }

    @Test func wsseHeadersHaveTheDocumentedShape() {
        let headers = PlatformWSSE.headers(credentials: credentials, nonce: "ac1c911c4792492687f8f6b2264a491e", created: created)
        #expect(headers[0] == PlatformHTTPHeader("Authorization", #"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#))
        #expect(headers[1] == PlatformHTTPHeader("X-WSSE",
            #"UsernameToken Username="ARBRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="NjEwNjBjMTc2Y2E0MDg1ZDRiNWE5NzMzMzBmN2EwYWI4ODE3NzZlODQ3ZWFjMjkyNDMzZjllNzllMzhjZGY5ZA==",Nonce="ac1c911c4792492687f8f6b2264a491e",Created="2018-05-26T00:35:30Z""#))
    }

    /// The reference's example digest (3.2.1.1 / 3.2.3) is garbled by text extraction in each
    /// copy (I/l and missing characters). Taking the consistent characters of the three copies
    /// gives the string below, which decodes to 64 lowercase hex characters: the Base64 of the
    /// hex SHA-256, not of the raw 32 bytes. Our digests must have that same shape.
    @Test func referenceExampleDigestIsBase64OfAHexString() throws {
        let example = "NDA1MWIwNjI2ZTkyNWFlM2FhMTE5NDE1YTk5NjU1YWE4NjNlZTY1MmRhYzkxZGViNzczZjdjMjkzZWQ4ZjAwNA=="
        let decoded = try #require(Data(base64Encoded: example))
        let text = String(decoding: decoded, as: UTF8.self)
        #expect(text == "4051b0626e925ae3aa119415a99655aa863ee652dac91deb773f7c293ed8f004")
        let ours = PlatformWSSE.passwordDigest(nonce: "ac1c911c4792492687f8f6b2264a491e", created: "2018-05-26T00:35:30Z",
                                               credentials: credentials)
        let oursDecoded = String(decoding: try #require(Data(base64Encoded: ours)), as: UTF8.self)
        #expect(ours.count == example.count)
        #expect(oursDecoded.count == 64)
        #expect(oursDecoded.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func nonceIs32RandomLowercaseHexCharacters() {
        let first = PlatformWSSE.randomNonce(), second = PlatformWSSE.randomNonce()
        #expect(first.count == 32)
        #expect(first.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(first != second)
    }

    @Test func akskCanonicalRequestAndSignatureMatchPythonVector() {
        let base = [PlatformHTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                    PlatformHTTPHeader("Host", "smsapi.cn-north-4.myhuaweicloud.com:443"),
                    PlatformHTTPHeader("X-Sdk-Date", "20230519T005038Z")]
        let canonical = PlatformAKSK.canonicalRequest(method: "POST", path: "/sms/batchSendSms/v1", query: "", headers: base,
                                                      signedHeaders: ["content-type", "host", "x-sdk-date"],
                                                      body: Array(vectorBody.utf8))
        #expect(canonical == "POST\n/sms/batchSendSms/v1/\n\ncontent-type:application/x-www-form-urlencoded\nhost:smsapi.cn-north-4.myhuaweicloud.com:443\nx-sdk-date:20230519T005038Z\n\ncontent-type;host;x-sdk-date\n4a830a04dd5d797b63aeed24f42d5fc07ccba284eb6c680aeb6cb1743d79a33d")
        let toSign = PlatformAKSK.stringToSign(canonicalRequest: canonical, sdkDate: "20230519T005038Z")
        #expect(toSign == "SDK-HMAC-SHA256\n20230519T005038Z\nffe617381454e10ace7f1e9c554ea5242267716149b2df733c06b58d492900ce")
        #expect(PlatformAKSK.signature(stringToSign: toSign, credentials: credentials)
                == "9959c1bfbf59c8b61487efcf129df7279aa2a450ce5262a1da4d69a4a01ef29b")
    }

    @Test func akskHeadersSignContentTypeHostAndDate() {
        let base = [PlatformHTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                    PlatformHTTPHeader("Host", "smsapi.cn-north-4.myhuaweicloud.com:443")]
        let headers = PlatformAKSK.headers(credentials: credentials, method: "POST", path: "/sms/batchSendSms/v1",
                                           headers: base, body: Array(vectorBody.utf8),
                                           date: Date(timeIntervalSince1970: 1_684_457_438))  // 2023-05-19T00:50:38Z
        #expect(headers == [
            PlatformHTTPHeader("X-Sdk-Date", "20230519T005038Z"),
            PlatformHTTPHeader("Authorization", "SDK-HMAC-SHA256 Access=ARBRz4bAXoFgEH7o4Ew308eXc1RA, SignedHeaders=content-type;host;x-sdk-date, Signature=9959c1bfbf59c8b61487efcf129df7279aa2a450ce5262a1da4d69a4a01ef29b"),
        ])
    }

    @Test func clientSignsWithInjectedNonceAndTime() throws {
        let clock = FixedClock(date: created)
        let client = try PlatformClient(
            configuration: PlatformClientConfiguration(endpoint: "https://smsapi.example.com:443", credentials: credentials,
                                                       authScheme: .wsse),
            clock: clock, makeNonce: { "ac1c911c4792492687f8f6b2264a491e" })
        defer { client.shutdown() }
        let http = try client.httpRequest(for: .batch(PlatformTestKit.request(["+8613112345678"])))
        #expect(http.url == "https://smsapi.example.com:443/sms/batchSendSms/v1")
        #expect(http.headers.contains(PlatformHTTPHeader("Host", "smsapi.example.com:443")))
        #expect(http.headers.contains { $0.name == "X-WSSE" && $0.value.contains("NjEwNjBjMTc2Y2E0MDg1ZDRiNWE5NzMzMzBmN2EwYWI4ODE3NzZlODQ3ZWFjMjkyNDMzZjllNzllMzhjZGY5ZA==") })
    }

    @Test func endpointMayCarryAnAPIPath() throws {
        let client = try PlatformClient(configuration: PlatformClientConfiguration(
            endpoint: "https://smsapi.example.com/sms/batchSendSms/v1", credentials: credentials), clock: FixedClock(date: created))
        defer { client.shutdown() }
        let diff = PlatformDiffSendRequest(from: "1", smsContent: [PlatformSmsContent(to: ["+8613112345678"], templateId: "t")])
        let http = try client.httpRequest(for: .diff(diff))
        #expect(http.url == "https://smsapi.example.com/sms/batchSendDiffSms/v1")
        #expect(http.headers.contains(PlatformHTTPHeader("Host", "smsapi.example.com")))
        #expect(http.headers.contains(PlatformHTTPHeader("Content-Type", "application/json")))
        #expect(http.headers.contains { $0.name == "Authorization" && $0.value.hasPrefix("SDK-HMAC-SHA256 Access=") })
    }

    @Test func credentialsNeverShowTheSecret() {
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, String(reflecting: credentials),
                     "\(credentials)", dumped, "\([credentials])"] {
            #expect(!text.contains("groupsms-test-secret-0001"))
            #expect(text.contains("ARBRz4bAXoFgEH7o4Ew308eXc1RA") || text.contains("appKey"))
        }
    }

    @Test func timestampsAreUTCToTheSecond() {
        let date = Date(timeIntervalSince1970: 1_527_294_930.987)
        #expect(PlatformTimestamp.iso(date) == "2018-05-26T00:35:30Z")
        #expect(PlatformTimestamp.compact(date) == "20180526T003530Z")
        #expect(PlatformTimestamp.parseISO("2018-05-26T00:35:30Z") == Date(timeIntervalSince1970: 1_527_294_930))
        #expect(PlatformTimestamp.parseCompact("20180526T003530Z") == Date(timeIntervalSince1970: 1_527_294_930))
        #expect(PlatformTimestamp.parseISO("2018-05-26 00:35:30") == nil)
    }
}

/// A clock standing still at one moment (signing needs only `now`).
struct FixedClock: WallClock {
    let date: Date
    func now() -> Date { date }
    func sleep(until deadline: Date) async throws { try Task.checkCancellation() }
}
