import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GroupSMSModel
import GroupSMSSimulator

/// Set-up for the simulator's own tests. Requests are built, encoded and signed here by hand
/// (a third implementation, next to the client's and the simulator's), and sent over plain
/// URLSession: nothing of the product's client is involved.
enum SimulatorTestKit {
    /// The demo application, written out: a test that read them from the simulator would not
    /// notice the simulator changing them.
    static let appKey = "groupsmsDemoAppKey0001"
    static let appSecret = "groupsms-demo-secret-simulator-only"

    /// Runs `body` against a fresh simulator (reports off unless `configure` turns them on).
    static func withSimulator<T>(clock: any WallClock = SystemWallClock(),
                                 _ configure: (inout SimulatorConfiguration) -> Void = { _ in },
                                 _ body: (PlatformSimulator) async throws -> T) async throws -> T {
        var configuration = SimulatorConfiguration()
        configuration.reports.enabled = false
        configure(&configuration)
        let simulator = try await PlatformSimulator.start(configuration, clock: clock)
        do {
            let result = try await body(simulator)
            await simulator.shutdown()
            return result
        } catch {
            await simulator.shutdown()
            throw error
        }
    }

    /// An answer as received.
    struct Answer {
        let status: Int
        let contentType: String
        let body: Data

        /// The body as a JSON object, nil when it is not one.
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
        var code: String? { json?["code"] as? String }
        /// The per-number statuses of `result`, in order.
        var statuses: [String] { (json?["result"] as? [[String: Any]])?.compactMap { $0["status"] as? String } ?? [] }
        var smsMsgIds: [String] { (json?["result"] as? [[String: Any]])?.compactMap { $0["smsMsgId"] as? String } ?? [] }
    }

    /// Posts `body` to `path`, AK/SK-signed by hand at `date` unless `headers` are given.
    static func post(_ simulator: PlatformSimulator, path: String = "/sms/batchSendSms/v1",
                     contentType: String = "application/x-www-form-urlencoded", body: String,
                     date: Date = Date(), headers: [String: String]? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: simulator.endpoint + path)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 5
        let all = headers ?? signedHeaders(host: "\(simulator.host):\(simulator.port)", path: path,
                                           contentType: contentType, body: Data(body.utf8), date: date)
        for (name, value) in all { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return Answer(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type") ?? "", body: data)
    }

    /// Content-Type, X-Sdk-Date and Authorization for an AK/SK request signed over
    /// content-type;host;x-sdk-date.
    static func signedHeaders(host: String, path: String, contentType: String, body: Data, date: Date,
                              appKey: String = appKey, secret: String = appSecret) -> [String: String] {
        let sdkDate = date.formatted(Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted))
        let canonical = "POST\n\(path)/\n\ncontent-type:\(contentType)\nhost:\(host)\nx-sdk-date:\(sdkDate)\n\n"
            + "content-type;host;x-sdk-date\n" + hex(SHA256.hash(data: body))
        let toSign = "SDK-HMAC-SHA256\n\(sdkDate)\n" + hex(SHA256.hash(data: Data(canonical.utf8)))
        let signature = hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: SymmetricKey(data: Data(secret.utf8))))
        return ["Content-Type": contentType, "X-Sdk-Date": sdkDate,
                "Authorization": "SDK-HMAC-SHA256 Access=\(appKey), SignedHeaders=content-type;host;x-sdk-date, Signature=\(signature)"]
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// A form body, each value percent-encoded with Foundation.
    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// A batchSendSms body for `numbers` with the test template.
    static func sendBody(_ numbers: [String], templateId: String = "tmpl0001", paras: String? = #"["520520"]"#,
                         callback: String? = nil, extend: String? = nil) -> String {
        var fields: [(String, String)] = [("from", "8824000000001"), ("to", numbers.joined(separator: ",")),
                                          ("templateId", templateId)]
        if let paras { fields.append(("templateParas", paras)) }
        if let callback { fields.append(("statusCallback", callback)) }
        if let extend { fields.append(("extend", extend)) }
        return form(fields)
    }

    /// `count` distinct Chinese mainland mobile numbers, from `start`.
    static func numbers(_ count: Int, start: Int = 0) -> [String] {
        (start..<start + count).map { "+86131" + String(format: "%08d", $0) }
    }

    /// Polls `condition` (up to 10 s of real time) for work the simulator does on its own tasks.
    static func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        throw SimulatorTestFailure("timed out waiting until \(what)")
    }
}

/// A test expectation that failed outside `#expect`.
struct SimulatorTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
