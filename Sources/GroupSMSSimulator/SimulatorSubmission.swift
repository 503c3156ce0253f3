import Foundation

/// Which send endpoint a request came to.
enum SimulatorEndpoint: String, Sendable {
    case batchSendSms
    case batchSendDiffSms

    var expectedContentType: String {
        self == .batchSendSms ? "application/x-www-form-urlencoded" : "application/json"
    }
}

/// A send request as the simulated platform understood it.
struct SimulatorSubmission: Sendable {
    struct Group: Sendable {
        var numbers: [String]
        var templateId: String
        var templateParas: [String]?
        var signature: String?

        /// "Same content" for the per-number limits: template, variables and signature.
        var contentKey: String {
            ([templateId] + (templateParas ?? []) + [signature ?? ""]).joined(separator: "\u{1F}")
        }
    }

    var from: String
    var statusCallback: String?
    var extend: String?
    var groups: [Group]

    var allNumbers: [String] { groups.flatMap(\.numbers) }
}

/// A whole-request refusal: the code and the HTTP status to answer with.
struct SimulatorRefusal: Error, Equatable {
    let code: String
    let httpStatus: Int
    /// Numbers found in the request, for the log (empty when none could be read).
    var numbers: [String] = []
}

/// Reads request bodies with the simulator's own decoding and applies the platform's
/// whole-request rules (API reference 3.2.3 note a, E000503 and E000000).
enum SimulatorSubmissionParser {
    static let maxNumbers = 500
    /// `smsContent` "cannot exceed 64 KB" (API reference 3.2.4, table 3-60).
    static let maxContentBytes = 64 * 1024
    /// Content groups per `batchSendDiffSms` request (SPEC §7).
    static let maxGroups = 100

    static func parse(_ body: [UInt8], endpoint: SimulatorEndpoint) throws(SimulatorRefusal) -> SimulatorSubmission {
        switch endpoint {
        case .batchSendSms: return try parseForm(String(decoding: body, as: UTF8.self))
        case .batchSendDiffSms: return try parseJSON(body)
        }
    }

    private static func parseForm(_ text: String) throws(SimulatorRefusal) -> SimulatorSubmission {
        var values: [String: String] = [:]
        for field in SimulatorFormCoding.fields(text) where values[field.name] == nil { values[field.name] = field.value }
        let toText = values["to"] ?? ""
        let numbers = toText.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let from = values["from"], (1...21).contains(from.count) else { throw refusal(numbers) }
        try checkNumbers(toText: toText, numbers: numbers)
        var paras: [String]?
        if let json = values["templateParas"], !json.isEmpty {
            guard let parsed = stringArray(json) else { throw SimulatorRefusal(code: "E000000", httpStatus: 400, numbers: numbers) }
            paras = parsed
        }
        let group = SimulatorSubmission.Group(numbers: numbers, templateId: values["templateId"] ?? "",
                                              templateParas: paras, signature: values["signature"])
        try checkTemplate(group.templateId, numbers)
        let submission = SimulatorSubmission(from: from, statusCallback: values["statusCallback"],
                                             extend: values["extend"], groups: [group])
        try checkOptional(submission)
        return submission
    }

    /// The `batchSendDiffSms` body as the reference writes it.
    private struct DiffBody: Decodable {
        struct Content: Decodable {
            var to: [String]
            var templateId: String
            var templateParas: [String]?
            var signature: String?
        }

        var from: String
        var statusCallback: String?
        var extend: String?
        var smsContent: [Content]
    }

    private static func parseJSON(_ body: [UInt8]) throws(SimulatorRefusal) -> SimulatorSubmission {
        guard let request = try? JSONDecoder().decode(DiffBody.self, from: Data(body)) else {
            throw SimulatorRefusal(code: "E000000", httpStatus: 400)
        }
        let all = request.smsContent.flatMap(\.to)
        guard (1...21).contains(request.from.count), !request.smsContent.isEmpty else { throw refusal(all) }
        guard all.count <= maxNumbers else { throw refusal(all) }
        // "smsContent is invalid" (E000503): too many groups, or more than 64 KB of it.
        guard request.smsContent.count <= maxGroups, contentBytes(request.smsContent) <= maxContentBytes else {
            throw refusal(all)
        }
        var groups: [SimulatorSubmission.Group] = []
        for content in request.smsContent {
            try checkNumbers(toText: content.to.joined(separator: ","), numbers: content.to)
            try checkTemplate(content.templateId, all)
            groups.append(.init(numbers: content.to, templateId: content.templateId,
                                templateParas: content.templateParas, signature: content.signature))
        }
        let submission = SimulatorSubmission(from: request.from, statusCallback: request.statusCallback,
                                             extend: request.extend, groups: groups)
        try checkOptional(submission)
        return submission
    }

    /// The size of `smsContent` written as compact JSON.
    private static func contentBytes(_ content: [DiffBody.Content]) -> Int {
        var writer = SimulatorJSONWriter(capacity: 4096)
        writer.raw("[")
        for (index, group) in content.enumerated() {
            writer.raw(index == 0 ? "{\"to\":[" : ",{\"to\":[")
            for (position, number) in group.to.enumerated() {
                if position > 0 { writer.raw(",") }
                writer.string(number)
            }
            writer.raw("]")
            writer.field("templateId", group.templateId)
            if let paras = group.templateParas {
                writer.raw(",\"templateParas\":[")
                for (position, value) in paras.enumerated() {
                    if position > 0 { writer.raw(",") }
                    writer.string(value)
                }
                writer.raw("]")
            }
            if let signature = group.signature { writer.field("signature", signature) }
            writer.raw("}")
        }
        writer.raw("]")
        return writer.text.utf8.count
    }

    /// `templateParas` of a form body: a JSON array of strings, else nil.
    private static func stringArray(_ json: String) -> [String]? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)), let array = value as? [Any] else {
            return nil
        }
        let strings = array.compactMap { $0 as? String }
        return strings.count == array.count ? strings : nil
    }

    /// Anything but digits, '+' and ',' in `to`, more than 500 numbers, or a number outside
    /// 1-21 characters fails the whole request.
    private static func checkNumbers(toText: String, numbers: [String]) throws(SimulatorRefusal) {
        let allowed = toText.utf8.allSatisfy {
            $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: ",") || ($0 >= 48 && $0 <= 57)
        }
        guard !toText.isEmpty, allowed, numbers.count <= maxNumbers,
              numbers.allSatisfy({ (1...21).contains($0.utf8.count) }) else { throw refusal(numbers) }
    }

    private static func checkTemplate(_ templateId: String, _ numbers: [String]) throws(SimulatorRefusal) {
        guard (1...32).contains(templateId.count) else { throw refusal(numbers) }
    }

    /// `extend`: 1-28 characters without spaces or braces; `statusCallback`: 1-1024 characters.
    private static func checkOptional(_ submission: SimulatorSubmission) throws(SimulatorRefusal) {
        if let extend = submission.extend,
           !(1...28).contains(extend.count) || extend.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" }) {
            throw refusal(submission.allNumbers)
        }
        if let callback = submission.statusCallback, !(1...1024).contains(callback.count) {
            throw refusal(submission.allNumbers)
        }
    }

    private static func refusal(_ numbers: [String]) -> SimulatorRefusal {
        SimulatorRefusal(code: "E000503", httpStatus: 400, numbers: numbers)
    }
}
