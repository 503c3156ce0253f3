import GroupSMSPlatform

/// JSON bodies of the simulated platform's answers, built by hand: a 500-number answer is
/// written hundreds of times a second in the benchmark.
enum SimulatorResponseBody {
    static func error(code: String) -> [UInt8] {
        var out = "{\"code\":"
        appendString(code, to: &out)
        out += ",\"description\":"
        appendString(description(of: code), to: &out)
        out += "}"
        return Array(out.utf8)
    }

    static func decision(_ decision: SimulatorDecision) -> [UInt8] {
        var out = "{\"result\":["
        out.reserveCapacity(64 + decision.results.count * 150)
        for (index, result) in decision.results.enumerated() {
            if index > 0 { out += "," }
            out += "{\"originTo\":"
            appendString(result.originTo, to: &out)
            out += ",\"createTime\":"
            appendString(result.createTime, to: &out)
            out += ",\"from\":"
            appendString(result.from, to: &out)
            out += ",\"smsMsgId\":"
            appendString(result.smsMsgId, to: &out)
            out += ",\"status\":"
            appendString(result.status, to: &out)
            out += "}"
        }
        out += "],\"code\":"
        appendString(decision.code, to: &out)
        out += ",\"description\":"
        appendString(description(of: decision.code), to: &out)
        out += "}"
        return Array(out.utf8)
    }

    private static func description(of code: String) -> String {
        code == PlatformCodeCatalogue.successCode ? "Success" : PlatformCodeCatalogue.apiEntry(for: code)?.meaning ?? "Error"
    }

    private static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
