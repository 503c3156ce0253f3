import Foundation
import GroupSMSPlatform

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
        var templateParas: [String]
        var signature: String?

        /// "Same content" for the per-number limits: template, variables and signature.
        var contentKey: String {
            ([templateId] + templateParas + [signature ?? ""]).joined(separator: "\u{1F}")
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

/// Reads request bodies and applies the platform's whole-request rules (API reference 3.2.3 note a).
enum SimulatorSubmissionParser {
    static func parse(_ body: [UInt8], endpoint: SimulatorEndpoint) throws(SimulatorRefusal) -> SimulatorSubmission {
        switch endpoint {
        case .batchSendSms: return try parseForm(String(decoding: body, as: UTF8.self))
        case .batchSendDiffSms: return try parseJSON(body)
        }
    }

    private static func parseForm(_ text: String) throws(SimulatorRefusal) -> SimulatorSubmission {
        var values: [String: String] = [:]
        for field in PlatformFormEncoding.fields(text) where values[field.name] == nil { values[field.name] = field.value }
        let toText = values["to"] ?? ""
        let numbers = toText.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let from = values["from"], (1...21).contains(from.count) else { throw refusal(numbers) }
        try checkNumbers(toText: toText, numbers: numbers)
        var paras: [String] = []
        if let json = values["templateParas"], !json.isEmpty {
            do { paras = try PlatformTemplateParas.parse(json: json) } catch { throw SimulatorRefusal(code: "E000000", httpStatus: 400, numbers: numbers) }
        }
        let group = SimulatorSubmission.Group(numbers: numbers, templateId: values["templateId"] ?? "",
                                              templateParas: paras, signature: values["signature"])
        try checkTemplate(group.templateId, numbers)
        let submission = SimulatorSubmission(from: from, statusCallback: values["statusCallback"],
                                             extend: values["extend"], groups: [group])
        try checkOptional(submission)
        return submission
    }

    private static func parseJSON(_ body: [UInt8]) throws(SimulatorRefusal) -> SimulatorSubmission {
        guard let request = try? JSONDecoder().decode(PlatformDiffSendRequest.self, from: Data(body)) else {
            throw SimulatorRefusal(code: "E000000", httpStatus: 400)
        }
        let all = request.smsContent.flatMap(\.to)
        guard (1...21).contains(request.from.count), !request.smsContent.isEmpty else { throw refusal(all) }
        var groups: [SimulatorSubmission.Group] = []
        for content in request.smsContent {
            try checkNumbers(toText: content.to.joined(separator: ","), numbers: content.to)
            try checkTemplate(content.templateId, all)
            groups.append(.init(numbers: content.to, templateId: content.templateId,
                                templateParas: content.templateParas ?? [], signature: content.signature))
        }
        let submission = SimulatorSubmission(from: request.from, statusCallback: request.statusCallback,
                                             extend: request.extend, groups: groups)
        try checkOptional(submission)
        return submission
    }

    /// Anything but digits, '+' and ',' in `to`, more than 500 numbers, or a number outside
    /// 1-21 characters fails the whole request.
    private static func checkNumbers(toText: String, numbers: [String]) throws(SimulatorRefusal) {
        let allowed = toText.utf8.allSatisfy {
            $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: ",") || ($0 >= 48 && $0 <= 57)
        }
        guard !toText.isEmpty, allowed, numbers.count <= PlatformSendRequest.maxNumbers,
              numbers.allSatisfy({ (1...21).contains($0.utf8.count) }) else { throw refusal(numbers) }
    }

    private static func checkTemplate(_ templateId: String, _ numbers: [String]) throws(SimulatorRefusal) {
        guard (1...32).contains(templateId.count) else { throw refusal(numbers) }
    }

    private static func checkOptional(_ submission: SimulatorSubmission) throws(SimulatorRefusal) {
        if let extend = submission.extend, !PlatformSendRequest.isValidExtend(extend) {
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
