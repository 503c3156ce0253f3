/// A rule a send request must satisfy before it may leave for the platform.
///
/// The rules come from the API reference ("SMS Sending API", "Batch SMS Sending API"); the platform
/// refuses the whole request when one is broken, so the client refuses it first and names the rule.
public enum PlatformRequestRule: String, Sendable, Equatable, CaseIterable {
    /// `from` (the channel number) must hold 1-21 characters.
    case fromLength = "from must hold 1-21 characters"
    /// A request needs at least one recipient number.
    case noNumbers = "at least one recipient number is required"
    /// At most 500 numbers per request (per content group for batchSendDiffSms).
    case tooManyNumbers = "at most 500 numbers per request"
    /// Each number holds at most 21 characters.
    case numberLength = "each number holds 1-21 characters"
    /// Numbers may hold only `+` and digits.
    case numberCharacters = "numbers may hold only + and digits"
    /// `templateId` must hold 1-32 characters.
    case templateIdLength = "templateId must hold 1-32 characters"
    /// `templateParas` must be a JSON array of strings.
    case templateParas = "templateParas must be a JSON array of strings"
    /// `extend` holds 1-28 characters without spaces or braces.
    case extend = "extend holds 1-28 characters without spaces or braces"
    /// `statusCallback` holds 1-1024 characters and is an http(s) URL.
    case statusCallback = "statusCallback must be an http(s) URL of at most 1024 characters"
    /// A batchSendDiffSms request needs at least one content group.
    case noContent = "batchSendDiffSms needs at least one smsContent group"
    /// The JSON body of batchSendDiffSms must stay under 64 KB of smsContent.
    case contentSize = "smsContent must stay under 64 KB"
}

/// Everything that can go wrong in the Platform area before or around a request.
///
/// Transport failures of a request that was attempted are not errors: they are the
/// `notSent` / `ambiguous` cases of `PlatformSendResult`, because the job runner must act on them.
public enum PlatformError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request breaks a rule of the platform; `detail` names the offending value.
    case invalidRequest(rule: PlatformRequestRule, detail: String)
    /// The endpoint URL cannot be used.
    case invalidEndpoint(String)
    /// libcurl refused to set up a transfer (`operation` names the call, `code` its result).
    case curlSetup(operation: String, code: Int, message: String)
    /// The transport was shut down before the request could be handed to it.
    case transportShutDown

    public var description: String {
        switch self {
        case .invalidRequest(let rule, let detail):
            return "Request refused before sending: \(rule.rawValue) (\(detail)). Fix the request; the platform would refuse it."
        case .invalidEndpoint(let endpoint):
            return "Endpoint \"\(endpoint)\" is not an http(s) URL such as https://smsapi.example.com:443. Check --endpoint or GROUPSMS_ENDPOINT."
        case .curlSetup(let operation, let code, let message):
            return "libcurl could not set up the request (\(operation) returned \(code): \(message)). Check the libcurl installation."
        case .transportShutDown:
            return "The HTTP transport was already shut down; create a new client."
        }
    }
}
