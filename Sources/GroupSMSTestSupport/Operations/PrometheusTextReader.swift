import Foundation

/// The line-by-line state of `PrometheusText`'s strict parse.
struct PrometheusTextReader {
    typealias Family = PrometheusText.Family
    typealias Sample = PrometheusText.Sample

    private(set) var families: [Family] = []
    private var helps: [String: String] = [:]
    private var types: [String: String] = [:]
    private var closed: Set<String> = []
    private var series: Set<String> = []
    private var line = 0

    mutating func read(_ text: String, number: Int) throws {
        line = number
        if text.isEmpty { return }
        if text.hasPrefix("# HELP ") { return try readHelp(String(text.dropFirst(7))) }
        if text.hasPrefix("# TYPE ") { return try readType(String(text.dropFirst(7))) }
        if text.hasPrefix("#") { return }
        try readSample(text)
    }

    mutating func finish() throws {
        for family in families where family.type == "histogram" { try Self.checkHistogram(family) }
        if let untyped = types.keys.first(where: { name in !families.contains { $0.name == name } }) {
            throw fail("# TYPE \(untyped) has no samples")
        }
    }

    private mutating func readHelp(_ rest: String) throws {
        let (name, help) = Self.split(rest)
        guard Self.isMetricName(name) else { throw fail("bad metric name in # HELP: \(name)") }
        guard helps[name] == nil else { throw fail("second # HELP for \(name)") }
        guard !families.contains(where: { $0.name == name }) else { throw fail("# HELP \(name) after its samples") }
        helps[name] = try Self.unescape(help, quotes: false).orThrow(fail("bad escape in # HELP \(name)"))
    }

    private mutating func readType(_ rest: String) throws {
        let (name, type) = Self.split(rest)
        guard Self.isMetricName(name) else { throw fail("bad metric name in # TYPE: \(name)") }
        guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
            throw fail("unknown type \(type) for \(name)")
        }
        guard types[name] == nil else { throw fail("second # TYPE for \(name)") }
        guard !families.contains(where: { $0.name == name }) else { throw fail("# TYPE \(name) after its samples") }
        types[name] = type
    }

    private mutating func readSample(_ text: String) throws {
        let sample = try parseSample(text)
        let familyName = family(of: sample.name)
        guard let type = types[familyName] else { throw fail("sample \(sample.name) before any # TYPE of its family") }
        let key = sample.name + "{" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",") + "}"
        guard series.insert(key).inserted else { throw fail("series \(key) appears twice") }
        if type == "counter" {
            guard sample.name == familyName else { throw fail("counter sample \(sample.name) is not named \(familyName)") }
            guard sample.value >= 0 else { throw fail("counter \(sample.name) is negative") }
        }
        if families.last?.name == familyName {
            families[families.count - 1].samples.append(sample)
            return
        }
        guard !closed.contains(familyName) else { throw fail("samples of \(familyName) are not together") }
        if let previous = families.last?.name { closed.insert(previous) }
        families.append(Family(name: familyName, type: type, help: helps[familyName], samples: [sample]))
    }

    /// The family a sample belongs to: a histogram's `_bucket`/`_sum`/`_count` belong to it.
    private func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return name
    }

    private func parseSample(_ text: String) throws -> Sample {
        var rest = Substring(text)
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard Self.isMetricName(name) else { throw fail("bad metric name: \(text)") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            labels = try parseLabels(&rest)
        }
        guard rest.first == " " else { throw fail("no space before the value: \(text)") }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count), let value = Self.number(String(fields[0])) else {
            throw fail("bad value: \(text)")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw fail("bad timestamp: \(text)") }
        return Sample(name: name, labels: labels, value: value)
    }

    private func parseLabels(_ rest: inout Substring) throws -> [String: String] {
        var labels: [String: String] = [:]
        while rest.first != "}" {
            let name = String(rest.prefix { $0 != "=" })
            guard Self.isLabelName(name), !name.hasPrefix("__") else { throw fail("bad label name: \(name)") }
            rest = rest.dropFirst(name.count)
            guard rest.hasPrefix("=\"") else { throw fail("label \(name) has no quoted value") }
            rest = rest.dropFirst(2)
            var raw = ""
            while let character = rest.first, character != "\"" {
                raw.append(character)
                rest = rest.dropFirst()
                if character == "\\", let escaped = rest.first { raw.append(escaped); rest = rest.dropFirst() }
            }
            guard rest.first == "\"" else { throw fail("label \(name)'s value is not closed") }
            rest = rest.dropFirst()
            guard labels[name] == nil else { throw fail("label \(name) twice") }
            labels[name] = try Self.unescape(raw, quotes: true).orThrow(fail("bad escape in label \(name)"))
            if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw fail("labels not separated") }
        }
        rest = rest.dropFirst()
        return labels
    }

    private func fail(_ rule: String) -> PrometheusText.Violation {
        PrometheusText.Violation(line: line, rule: rule)
    }
}
