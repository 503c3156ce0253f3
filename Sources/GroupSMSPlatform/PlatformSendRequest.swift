import Foundation

/// One `batchSendSms` request: the same template to up to 500 numbers (form-encoded body).
public struct PlatformBatchSendRequest: Sendable, Equatable {
    /// The channel number (`from`).
    public var from: String
    /// Recipient numbers in E.164 (`+` and digits), at most 500.
    public var to: [String]
    /// The template ID.
    public var templateId: String
    /// Template variables; nil when the template has none.
    public var templateParas: [String]?
    /// Where the platform pushes status reports.
    public var statusCallback: String?
    /// A tag (1-28 characters) echoed in status reports together with `to`.
    public var extend: String?
    /// The signature name (needed with Chinese mainland general templates).
    public var signature: String?

    /// Creates a request; call `validate()` (the client does) before sending.
    public init(from: String, to: [String], templateId: String, templateParas: [String]? = nil,
                statusCallback: String? = nil, extend: String? = nil, signature: String? = nil) {
        self.from = from
        self.to = to
        self.templateId = templateId
        self.templateParas = templateParas
        self.statusCallback = statusCallback
        self.extend = extend
        self.signature = signature
    }
}

/// One group of `batchSendDiffSms`: its own template, variables and numbers.
public struct PlatformSmsContent: Sendable, Equatable, Codable {
    /// Recipient numbers of this group, at most 500.
    public var to: [String]
    /// The template ID of this group.
    public var templateId: String
    /// Template variables of this group.
    public var templateParas: [String]?
    /// The signature name of this group.
    public var signature: String?

    /// Creates a content group.
    public init(to: [String], templateId: String, templateParas: [String]? = nil, signature: String? = nil) {
        self.to = to
        self.templateId = templateId
        self.templateParas = templateParas
        self.signature = signature
    }
}

/// One `batchSendDiffSms` request: different content per group of numbers (JSON body).
public struct PlatformDiffSendRequest: Sendable, Equatable, Codable {
    /// The channel number (`from`).
    public var from: String
    /// Where the platform pushes status reports.
    public var statusCallback: String?
    /// A tag echoed in status reports together with `to`.
    public var extend: String?
    /// The content groups.
    public var smsContent: [PlatformSmsContent]

    /// Creates a request; call `validate()` (the client does) before sending.
    public init(from: String, smsContent: [PlatformSmsContent], statusCallback: String? = nil, extend: String? = nil) {
        self.from = from
        self.smsContent = smsContent
        self.statusCallback = statusCallback
        self.extend = extend
    }
}

/// A send request of either kind, as the client and its results refer to it.
public enum PlatformSendRequest: Sendable, Equatable {
    /// `POST /sms/batchSendSms/v1`.
    case batch(PlatformBatchSendRequest)
    /// `POST /sms/batchSendDiffSms/v1`.
    case diff(PlatformDiffSendRequest)

    /// The URI path of `batchSendSms`.
    public static let batchPath = "/sms/batchSendSms/v1"
    /// The URI path of `batchSendDiffSms`.
    public static let diffPath = "/sms/batchSendDiffSms/v1"

    /// The URI path of the endpoint.
    public var path: String {
        switch self {
        case .batch: return Self.batchPath
        case .diff: return Self.diffPath
        }
    }

    /// The body's media type.
    public var contentType: String {
        switch self {
        case .batch: return "application/x-www-form-urlencoded"
        case .diff: return "application/json"
        }
    }

    /// Every recipient number in request order (over all groups).
    public var numbers: [String] {
        switch self {
        case .batch(let request): return request.to
        case .diff(let request): return request.smsContent.flatMap(\.to)
        }
    }
}

/// Parsing of user-supplied template variables.
public enum PlatformTemplateParas {
    /// Parses text that must be a JSON array of strings (as job files and `--params` may give it).
    public static func parse(json: String) throws(PlatformError) -> [String] {
        guard let data = json.data(using: .utf8),
              let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let array = value as? [Any] else {
            throw .invalidRequest(rule: .templateParas, detail: "not a JSON array: \(json.prefix(80))")
        }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard let string = element as? String else {
                throw .invalidRequest(rule: .templateParas, detail: "element \(index + 1) is not a string")
            }
            strings.append(string)
        }
        return strings
    }

    /// The JSON array text for `paras` (the value of the `templateParas` form field).
    public static func json(_ paras: [String]) -> String {
        let data = (try? JSONEncoder.platformCompact.encode(paras)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension JSONEncoder {
    /// Compact JSON without escaped slashes (URLs stay readable), shared by request encoders.
    package static var platformCompact: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
