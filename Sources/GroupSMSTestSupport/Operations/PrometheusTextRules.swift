import Foundation

extension PrometheusTextReader {
    /// Every label set of a histogram has increasing buckets ending in +Inf, not-decreasing
    /// counts, a `_sum`, and a `_count` equal to its +Inf bucket.
    static func checkHistogram(_ family: Family) throws {
        var groups: [[String: String]: [Sample]] = [:]
        for sample in family.samples {
            var key = sample.labels
            key["le"] = nil
            groups[key, default: []].append(sample)
        }
        for (labels, samples) in groups {
            let what = "histogram \(family.name)\(labels.isEmpty ? "" : " \(labels)")"
            func violation(_ rule: String) -> PrometheusText.Violation {
                PrometheusText.Violation(line: 0, rule: "\(what): \(rule)")
            }
            let buckets = samples.filter { $0.name == family.name + "_bucket" }
            let bounds = try buckets.map { bucket -> Double in
                guard let text = bucket.labels["le"], let bound = number(text) else { throw violation("a bucket has no le") }
                return bound
            }
            guard !buckets.isEmpty, bounds.last == .infinity else { throw violation("no +Inf bucket last") }
            guard zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else { throw violation("le not increasing") }
            let counts = buckets.map(\.value)
            guard zip(counts, counts.dropFirst()).allSatisfy({ $0 <= $1 }) else { throw violation("bucket counts decrease") }
            guard let count = samples.first(where: { $0.name == family.name + "_count" })?.value else {
                throw violation("no _count")
            }
            guard samples.contains(where: { $0.name == family.name + "_sum" }) else { throw violation("no _sum") }
            guard counts.last == count else { throw violation("+Inf bucket \(counts.last ?? -1) is not _count \(count)") }
        }
    }

    static func split(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(of: " ") else { return (text, "") }
        return (String(text[..<space]), String(text[text.index(after: space)...]))
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetterOrUnderscore || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrUnderscore || $0 == ":" || ("0"..."9").contains($0) }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetterOrUnderscore else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrUnderscore || ("0"..."9").contains($0) }
    }

    /// A sample value: a decimal or scientific number, `+Inf`, `-Inf` or `NaN`.
    static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    /// `text` with its escapes resolved: `\\` and `\n` always, `\"` in label values; nil for any other.
    static func unescape(_ text: String, quotes: Bool) -> String? {
        var out = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                if quotes, character == "\"" { return nil }
                out.append(character)
                continue
            }
            switch iterator.next() {
            case "\\": out.append("\\")
            case "n": out.append("\n")
            case "\"" where quotes: out.append("\"")
            default: return nil
            }
        }
        return out
    }
}

extension Optional {
    /// The value, or `error` thrown.
    func orThrow(_ error: @autoclosure () -> some Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}

extension Unicode.Scalar {
    var isASCIILetterOrUnderscore: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_"
    }
}
