import Foundation

/// What an HTTP answer from the sending API means (SPEC §4: answered, not sent, or ambiguous).
public enum PlatformOutcome: Sendable, Equatable {
    /// Answered: every number was accepted (`000000` and every status `000000`).
    case success
    /// Answered: some numbers failed (E000510 or mixed statuses): act on each result's status.
    case perNumber
    /// Not processed: credentials, account, permission or IP whitelist problem; nothing will succeed.
    case fatal
    /// Not processed: E000623, the account's send limit is reached; pause the job.
    case pause
    /// Not processed: E200015, platform flow control; wait `seconds` (about 10 minutes), then send again.
    case backOff(seconds: Double)
    /// Not processed: the request was refused for its content (format, parameters); fix it first.
    case rejected
    /// No provable outcome: a 5xx, a gateway page or gateway JSON, or a body without a documented
    /// `code`. The platform may have taken the request, so its numbers are unconfirmed.
    case ambiguous(String)

    /// How long the platform asks to wait after E200015.
    public static let flowControlWait: Double = 600
}

/// The per-number result of a send request (`SmsID` in the API reference).
public struct PlatformNumberResult: Sendable, Equatable, Codable {
    /// The platform's message ID, the key of later status reports.
    public var smsMsgId: String
    /// The channel number the message is sent from.
    public var from: String
    /// The recipient number as sent.
    public var originTo: String
    /// `000000` when accepted, else a status code (E200015, E200041, ...).
    public var status: String
    /// When the platform received the request, `yyyy-MM-ddTHH:mm:ssZ` UTC.
    public var createTime: String

    /// Creates a result.
    public init(smsMsgId: String, from: String, originTo: String, status: String, createTime: String) {
        self.smsMsgId = smsMsgId
        self.from = from
        self.originTo = originTo
        self.status = status
        self.createTime = createTime
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        smsMsgId = try c.decodeIfPresent(String.self, forKey: .smsMsgId) ?? ""
        from = try c.decodeIfPresent(String.self, forKey: .from) ?? ""
        originTo = try c.decodeIfPresent(String.self, forKey: .originTo) ?? ""
        status = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
        createTime = try c.decodeIfPresent(String.self, forKey: .createTime) ?? ""
    }

    /// Whether the platform accepted this number.
    public var isAccepted: Bool { status == PlatformCodeCatalogue.successCode }
}

/// An HTTP answer from the sending API, parsed and classified.
public struct PlatformResponse: Sendable, Equatable {
    /// The HTTP status code.
    public let httpStatus: Int
    /// The result code (`000000`, `E000510`, ...); nil when the body was not the API's JSON.
    public let code: String?
    /// The platform's description of `code`.
    public let description: String?
    /// Per-number results, in the platform's order (empty when the request was refused as a whole).
    public let results: [PlatformNumberResult]
    /// What to do about this answer.
    public let outcome: PlatformOutcome
    /// The start of the body (at most 2 KiB), for diagnostics when it could not be parsed.
    public let bodyExcerpt: String

    private struct Body: Decodable {
        var code: String?
        var description: String?
        var result: [PlatformNumberResult]?
        /// An API gateway's own error fields (`APIGW.0308`), never the platform's answer.
        var error_code: String?
        var error_msg: String?
    }

    /// Parses and classifies an answer.
    public init(httpStatus: Int, body: [UInt8]) {
        self.httpStatus = httpStatus
        let parsed = try? JSONDecoder().decode(Body.self, from: Data(body))
        code = parsed?.code
        description = parsed?.description
        results = parsed?.result ?? []
        bodyExcerpt = code == nil ? String(decoding: body.prefix(2048), as: UTF8.self) : ""
        if let gateway = parsed?.error_code, code == nil {
            outcome = .ambiguous("HTTP \(httpStatus) gateway answer \(gateway): \((parsed?.error_msg ?? "").prefix(200))")
        } else {
            outcome = Self.classify(httpStatus: httpStatus, code: code, results: results)
        }
    }

    /// The catalogue entry of `code`, when the code is known.
    public var codeEntry: PlatformCodeEntry? { code.flatMap { PlatformCodeCatalogue.apiEntry(for: $0) } }

    /// Classifies an answer from its HTTP status, result code and per-number statuses. Only a
    /// documented `code` below HTTP 500 is an answer; anything else may hide an accepted request.
    public static func classify(httpStatus: Int, code: String?, results: [PlatformNumberResult]) -> PlatformOutcome {
        if httpStatus >= 500 { return .ambiguous("HTTP \(httpStatus)" + (code.map { " with code \($0)" } ?? "")) }
        guard let code, let entry = PlatformCodeCatalogue.apiEntry(for: code) else {
            return .ambiguous("HTTP \(httpStatus) " + (code.map { "with the undocumented code \($0)" } ?? "without a code"))
        }
        if code == PlatformCodeCatalogue.flowControlCode
            || results.contains(where: { $0.status == PlatformCodeCatalogue.flowControlCode }) {
            return .backOff(seconds: PlatformOutcome.flowControlWait)
        }
        switch entry.codeClass {
        case .fatal: return .fatal
        case .pause: return .pause
        case .backOff: return .backOff(seconds: PlatformOutcome.flowControlWait)
        case .success where results.allSatisfy(\.isAccepted): return .success
        case .success, .perNumber: return .perNumber
        default: return .rejected
        }
    }
}
