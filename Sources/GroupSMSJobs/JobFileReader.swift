import Foundation
import Yams

/// Reads the top-level mapping of a job file strictly: known keys only, no duplicates, and
/// scalars taken as the text written (so `at: 2026-12-01T09:00:00+08:00` or `params: [007]`
/// are not reinterpreted as YAML timestamps or numbers).
struct JobFileReader {
    let path: String
    private var values: [String: Node] = [:]

    init(yaml text: String, path: String) throws(JobFileError) {
        self.path = path
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw JobFileError(path: path, key: nil, line: nil, message: "is not valid YAML: \(error)")
        }
        guard case .mapping(let mapping)? = root else {
            throw JobFileError(path: path, key: nil, line: nil,
                               message: "must be a YAML mapping of keys (\(JobFile.allowedKeys.joined(separator: ", ")))")
        }
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw JobFileError(path: path, key: nil, line: keyNode.mark?.line, message: "keys must be plain words")
            }
            let key = scalar.string
            guard JobFile.allowedKeys.contains(key) else {
                throw JobFileError(path: path, key: key, line: keyNode.mark?.line,
                                   message: "is not a job file key; the keys are \(JobFile.allowedKeys.joined(separator: ", "))")
            }
            guard values[key] == nil else {
                throw JobFileError(path: path, key: key, line: keyNode.mark?.line, message: "appears more than once")
            }
            values[key] = value
        }
    }

    func error(_ key: String, _ message: String) -> JobFileError {
        JobFileError(path: path, key: key, line: values[key]?.mark?.line, message: message)
    }

    /// A scalar's text, or nil when the key is absent. YAML null (`~`, empty) counts as absent.
    func optionalString(_ key: String) throws(JobFileError) -> String? {
        guard let node = values[key] else { return nil }
        guard case .scalar(let scalar) = node else { throw error(key, "must be a single value, not a list or mapping") }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }

    /// A required value checked by `rule` (a `JobFileRules` check: template ids, channel numbers).
    func token(_ key: String, rule: (String) -> String?) throws(JobFileError) -> String {
        guard let text = try optionalString(key)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw error(key, "is required")
        }
        if let problem = rule(text) { throw error(key, problem) }
        return text
    }

    /// A list of scalars as text; with `allowSingle`, one scalar is a list of one.
    func stringList(_ key: String, allowSingle: Bool, required: Bool) throws(JobFileError) -> [String] {
        guard let node = values[key] else {
            if required { throw error(key, "is required") }
            return []
        }
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar where allowSingle: items = [node]
        default: throw error(key, allowSingle ? "must be a path or a list of paths" : "must be a list, such as [\"a\", \"b\"]")
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .scalar(let scalar) = item else { throw error(key, "item \(index + 1) must be a single value") }
            if scalar.style == .plain, ["~", "null", "Null", "NULL"].contains(scalar.string) {
                throw error(key, "item \(index + 1) is empty (null)")
            }
            result.append(scalar.string)
        }
        if required, result.isEmpty { throw error(key, "must name at least one file") }
        if required, let empty = result.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw error(key, "item \(empty + 1) is empty")
        }
        return result
    }

    /// A whole number within `range`, or nil when absent.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(JobFileError) -> Int? {
        guard let text = try optionalString(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw error(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// An http(s) URL with a host, or nil when absent.
    func url(_ key: String) throws(JobFileError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw error(key, "must be an http:// or https:// URL, got '\(text)'")
        }
        return text
    }
}
