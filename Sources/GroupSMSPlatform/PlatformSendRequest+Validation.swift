import Foundation

/// Validation of send requests before they leave (API reference 3.2.3 / 3.2.4 notes).
extension PlatformSendRequest {
    /// The most numbers one request (or one content group) may carry.
    public static let maxNumbers = 500

    /// Throws `PlatformError.invalidRequest` naming the first broken rule.
    public func validate() throws(PlatformError) {
        switch self {
        case .batch(let request):
            try Self.checkFrom(request.from)
            try Self.checkNumbers(request.to, group: nil)
            try Self.checkTemplateId(request.templateId, group: nil)
            try Self.checkOptional(statusCallback: request.statusCallback, extend: request.extend)
        case .diff(let request):
            try Self.checkFrom(request.from)
            guard !request.smsContent.isEmpty else { throw .invalidRequest(rule: .noContent, detail: "smsContent is empty") }
            for (index, group) in request.smsContent.enumerated() {
                try Self.checkNumbers(group.to, group: index + 1)
                try Self.checkTemplateId(group.templateId, group: index + 1)
            }
            try Self.checkOptional(statusCallback: request.statusCallback, extend: request.extend)
            let size = (try? JSONEncoder.platformCompact.encode(request.smsContent).count) ?? 0
            guard size < 64 * 1024 else {
                throw .invalidRequest(rule: .contentSize, detail: "smsContent is \(size) bytes")
            }
        }
    }

    /// Whether `extend` satisfies the platform's rule (1-28 characters, no spaces or braces).
    public static func isValidExtend(_ extend: String) -> Bool {
        (1...28).contains(extend.count)
            && !extend.contains { $0.isWhitespace || $0 == "{" || $0 == "}" }
    }

    /// Whether `number` has 1-21 characters, all `+` or ASCII digits.
    public static func isValidNumberText(_ number: String) -> Bool {
        (1...21).contains(number.utf8.count)
            && number.utf8.allSatisfy { $0 == UInt8(ascii: "+") || ($0 >= 48 && $0 <= 57) }
    }

    private static func checkFrom(_ from: String) throws(PlatformError) {
        guard (1...21).contains(from.count) else {
            throw .invalidRequest(rule: .fromLength, detail: "from has \(from.count) characters")
        }
    }

    private static func checkNumbers(_ numbers: [String], group: Int?) throws(PlatformError) {
        let place = group.map { " in smsContent group \($0)" } ?? ""
        guard !numbers.isEmpty else { throw .invalidRequest(rule: .noNumbers, detail: "to is empty\(place)") }
        guard numbers.count <= maxNumbers else {
            throw .invalidRequest(rule: .tooManyNumbers, detail: "\(numbers.count) numbers\(place)")
        }
        for (index, number) in numbers.enumerated() {
            guard (1...21).contains(number.utf8.count) else {
                throw .invalidRequest(rule: .numberLength, detail: "number \(index + 1)\(place) \"\(number)\" has \(number.count) characters")
            }
            guard isValidNumberText(number) else {
                throw .invalidRequest(rule: .numberCharacters, detail: "number \(index + 1)\(place) is \"\(number)\"")
            }
        }
    }

    private static func checkTemplateId(_ templateId: String, group: Int?) throws(PlatformError) {
        guard (1...32).contains(templateId.count) else {
            let place = group.map { " in smsContent group \($0)" } ?? ""
            throw .invalidRequest(rule: .templateIdLength, detail: "templateId has \(templateId.count) characters\(place)")
        }
    }

    private static func checkOptional(statusCallback: String?, extend: String?) throws(PlatformError) {
        if let callback = statusCallback {
            let lower = callback.lowercased()
            guard (1...1024).contains(callback.count),
                  lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                throw .invalidRequest(rule: .statusCallback, detail: "statusCallback is \"\(callback.prefix(80))\"")
            }
        }
        if let extend, !isValidExtend(extend) {
            throw .invalidRequest(rule: .extend, detail: "extend is \"\(extend.prefix(40))\"")
        }
    }
}

/// Body encoding of send requests.
extension PlatformSendRequest {
    /// The request body as sent (form fields or JSON).
    public func body() -> [UInt8] {
        switch self {
        case .batch(let request):
            var fields: [(String, String)] = [("from", request.from), ("to", request.to.joined(separator: ",")),
                                              ("templateId", request.templateId)]
            if let paras = request.templateParas { fields.append(("templateParas", PlatformTemplateParas.json(paras))) }
            if let callback = request.statusCallback { fields.append(("statusCallback", callback)) }
            if let extend = request.extend { fields.append(("extend", extend)) }
            if let signature = request.signature { fields.append(("signature", signature)) }
            return Array(PlatformFormEncoding.body(fields).utf8)
        case .diff(let request):
            return Array((try? JSONEncoder.platformCompact.encode(request)) ?? Data())
        }
    }
}
