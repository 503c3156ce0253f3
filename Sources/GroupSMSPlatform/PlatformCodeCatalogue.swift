/// Where a code appears.
public enum PlatformCodeKind: String, Sendable, Codable, CaseIterable {
    /// In a send answer: the result `code`, or a number's `status` (appendix 5.2.1).
    case api
    /// In a status report's `status` (appendix 5.2.2, table 3-68).
    case report
}

/// How a code is handled (SPEC §4 failure classes, plus the request-level classes of SPEC §2).
public enum PlatformCodeClass: String, Sendable, Codable, CaseIterable {
    /// Accepted (`000000`) or delivered (`DELIVRD`).
    case success
    /// Not final yet (`ACCEPTD`): wait for a further report.
    case pending
    /// The request had failures: read each number's status.
    case perNumber
    /// A failure that sending again later may cure (SPEC §4 `retryable`).
    case retryable
    /// The recipient or a blocklist refuses: never resend, add to the suppression list.
    case optedOut
    /// A repeat of a number in the same request: the platform sent it once.
    case duplicate
    /// Stop the job: nothing will succeed until the account or credentials are fixed.
    case fatal
    /// The account's send limit is reached: pause the job.
    case pause
    /// Platform flow control: wait about 10 minutes, then continue.
    case backOff
    /// The request was refused for its content: fix it before sending again.
    case rejected
    /// A per-number status that is a problem of the whole request (template, signature, channel,
    /// credentials): every number would fail alike, so the job stops at the first one.
    case wholeRequest
}

/// One code of the reference with our reading of it.
public struct PlatformCodeEntry: Sendable, Equatable {
    /// The code as the platform writes it; pattern codes end in `x` (`MK:xxxx`).
    public let code: String
    /// Where the code appears.
    public let kind: PlatformCodeKind
    /// The HTTP status the platform answers with (API result codes only).
    public let httpStatus: Int?
    /// What the code means, in our words.
    public let meaning: String
    /// How groupsms handles it.
    public let codeClass: PlatformCodeClass
    /// What the user should do.
    public let action: String

    /// Whether this entry stands for a family of codes (`MK:xxxx` matches every `MK:` code).
    public var isPattern: Bool { code.hasSuffix("x") && code.contains(":") }

    /// The fixed part of a pattern code (`MK:`), or the whole code.
    var prefix: String { isPattern ? String(code[...code.firstIndex(of: ":")!]) : code }
}

/// Every API error code and SMS status code of the Message & SMS reference, as data.
///
/// The CLI, exports and the job runner read meanings, classes and advice from here, so a code is
/// explained the same way everywhere. Unknown report codes are failures of class `retryable`
/// (SPEC §4: everything that is not delivered, opted-out or unconfirmed).
public enum PlatformCodeCatalogue {
    /// The success code of a request and of each accepted number.
    public static let successCode = "000000"
    /// Platform flow control (wait about 10 minutes).
    public static let flowControlCode = "E200015"
    /// Some numbers failed; see each status.
    public static let perNumberCode = "E000510"
    /// The delivered report status.
    public static let deliveredStatus = "DELIVRD"

    /// Every entry, API codes first.
    public static let entries: [PlatformCodeEntry] = apiEntries + reportEntries

    private static let apiIndex = Dictionary(apiEntries.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    private static let reportIndex = Dictionary(reportEntries.filter { !$0.isPattern }.map { ($0.code, $0) },
                                                uniquingKeysWith: { a, _ in a })
    private static let reportPatterns = reportEntries.filter(\.isPattern)

    /// The entry for a send answer's result code or a number's status, if the reference lists it.
    public static func apiEntry(for code: String) -> PlatformCodeEntry? { apiIndex[code] }

    /// The entry for a status report's status, matching pattern codes (`MK:0012` → `MK:xxxx`).
    public static func reportEntry(for status: String) -> PlatformCodeEntry? {
        if let entry = reportIndex[status] { return entry }
        return reportPatterns.first { status.hasPrefix($0.prefix) }
    }

    /// The class of a report status; unknown statuses are `retryable` failures.
    public static func reportClass(for status: String) -> PlatformCodeClass {
        reportEntry(for: status)?.codeClass ?? .retryable
    }

    /// The entry for a code of either kind (report entries first for statuses found in both).
    public static func entry(for code: String, kind: PlatformCodeKind) -> PlatformCodeEntry? {
        kind == .api ? apiEntry(for: code) : reportEntry(for: code)
    }

    /// The opted-out report statuses of SPEC §4.
    public static var optedOutStatuses: [String] {
        reportEntries.filter { $0.codeClass == .optedOut }.map(\.code)
    }
}
