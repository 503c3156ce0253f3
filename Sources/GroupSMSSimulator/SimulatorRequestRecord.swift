import Foundation

/// What the simulated platform did with one request: the line `--log` writes, and what
/// `PlatformSimulator.records()` returns.
public struct SimulatorRequestRecord: Sendable, Equatable, Codable {
    /// When the request was received, on the simulator's clock.
    public var receivedAt: Date
    /// `batchSendSms` or `batchSendDiffSms`.
    public var endpoint: String
    /// `ok`, or the code authentication failed with.
    public var auth: String
    /// The HTTP status answered (also when the connection was dropped instead).
    public var httpStatus: Int
    /// The result code answered.
    public var code: String
    /// Every number of the request, in order (duplicates included).
    public var numbers: [String]
    /// Each number's status, parallel to `numbers` (empty when the request was refused whole).
    public var statuses: [String]
    /// Each number's smsMsgId, parallel to `statuses`.
    public var smsMsgIds: [String]
    /// The request's `extend`, if any.
    public var extend: String?
    /// The fault injected, when one was: `serverError`, `drop`, `stall`, `acceptThen502`,
    /// `acceptThenGatewayBody`, `unknownCode` or `wholeRequestStatus`.
    public var fault: String?
    /// Segments the platform counted for each number's rendered text, parallel to `numbers`
    /// (0 for a number not sent); nil when the text is unknown (no template registry).
    public var segments: [Int]?
    /// The encoding of each number's text (`GSM-7`, `UCS-2` or `mainland`; empty for a number
    /// not sent), parallel to `numbers`; nil when `segments` is.
    public var encodings: [String]?
    /// `batchSendDiffSms` only: each number's template id (its group's), parallel to `numbers`.
    public var templateIds: [String]?
    /// `batchSendDiffSms` only: each number's own `templateParas` (its group's; empty when the
    /// group has none), parallel to `numbers`.
    public var templateParas: [[String]]?

    /// Numbers the platform accepted (status 000000): the ones that will be sent.
    public var acceptedNumbers: [String] {
        zip(numbers, statuses).filter { $0.1 == "000000" }.map(\.0)
    }

    enum CodingKeys: String, CodingKey {
        case receivedAt, endpoint, auth, httpStatus, code, numbers, statuses, smsMsgIds, extend, fault, segments, encodings
        case templateIds, templateParas
    }

    public init(receivedAt: Date, endpoint: String, auth: String, httpStatus: Int, code: String,
                numbers: [String], statuses: [String], smsMsgIds: [String], extend: String?, fault: String?,
                segments: [Int]? = nil, encodings: [String]? = nil, templateIds: [String]? = nil,
                templateParas: [[String]]? = nil) {
        self.receivedAt = receivedAt
        self.endpoint = endpoint
        self.auth = auth
        self.httpStatus = httpStatus
        self.code = code
        self.numbers = numbers
        self.statuses = statuses
        self.smsMsgIds = smsMsgIds
        self.extend = extend
        self.fault = fault
        self.segments = segments
        self.encodings = encodings
        self.templateIds = templateIds
        self.templateParas = templateParas
    }

    /// Receive times are written as seconds since 1970 with millisecond precision
    /// (`receivedAt`), which pacing checks can subtract directly.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode((receivedAt.timeIntervalSince1970 * 1000).rounded() / 1000, forKey: .receivedAt)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(auth, forKey: .auth)
        try c.encode(httpStatus, forKey: .httpStatus)
        try c.encode(code, forKey: .code)
        try c.encode(numbers, forKey: .numbers)
        try c.encode(statuses, forKey: .statuses)
        try c.encode(smsMsgIds, forKey: .smsMsgIds)
        try c.encodeIfPresent(extend, forKey: .extend)
        try c.encodeIfPresent(fault, forKey: .fault)
        try c.encodeIfPresent(segments, forKey: .segments)
        try c.encodeIfPresent(encodings, forKey: .encodings)
        try c.encodeIfPresent(templateIds, forKey: .templateIds)
        try c.encodeIfPresent(templateParas, forKey: .templateParas)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        receivedAt = Date(timeIntervalSince1970: try c.decode(Double.self, forKey: .receivedAt))
        endpoint = try c.decode(String.self, forKey: .endpoint)
        auth = try c.decode(String.self, forKey: .auth)
        httpStatus = try c.decode(Int.self, forKey: .httpStatus)
        code = try c.decode(String.self, forKey: .code)
        numbers = try c.decode([String].self, forKey: .numbers)
        statuses = try c.decode([String].self, forKey: .statuses)
        smsMsgIds = try c.decode([String].self, forKey: .smsMsgIds)
        extend = try c.decodeIfPresent(String.self, forKey: .extend)
        fault = try c.decodeIfPresent(String.self, forKey: .fault)
        segments = try c.decodeIfPresent([Int].self, forKey: .segments)
        encodings = try c.decodeIfPresent([String].self, forKey: .encodings)
        templateIds = try c.decodeIfPresent([String].self, forKey: .templateIds)
        templateParas = try c.decodeIfPresent([[String]].self, forKey: .templateParas)
    }
}

/// Appends one JSON line per request to the `--log` file.
actor SimulatorLog {
    private let handle: FileHandle
    private let encoder = JSONEncoder()

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw SimulatorError.cannotOpenLog(path)
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw SimulatorError.cannotOpenLog(path) }
        handle.seekToEndOfFile()
        self.handle = handle
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    func append(_ record: SimulatorRequestRecord) {
        guard var line = try? encoder.encode(record) else { return }
        line.append(UInt8(ascii: "\n"))
        handle.write(line)
    }

    func close() {
        try? handle.close()
    }
}

/// Failures of the simulated platform itself.
public enum SimulatorError: Error, Sendable, CustomStringConvertible {
    /// The log file cannot be created or opened.
    case cannotOpenLog(String)
    /// The server could not start.
    case cannotStart(String)

    public var description: String {
        switch self {
        case .cannotOpenLog(let path): return "Cannot open the simulator log \(path) for appending; check the directory and permissions."
        case .cannotStart(let reason): return "The simulated platform could not start: \(reason)"
        }
    }
}
