import Foundation
import GroupSMSModel
import Logging

/// One JSON object a line: `time` (UTC, milliseconds), `level`, `event`, `message`, then the
/// line's own fields (job, chunk, smsMsgId, outcome...) in name order, and `error` when one was
/// logged. Every string is redacted (`LogRedactor`) and JSON-escaped, so no value can break a
/// line or smuggle control characters into a terminal.
struct JSONLineLogHandler: LogHandler {
    let sink: LogLineSink
    let redactor: LogRedactor
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let name = fields.removeValue(forKey: "event").map { "\($0)" } ?? "log"
        var line = "{\"time\":\(quoted(Self.timestamp(Date()))),\"level\":\(quoted(event.level.rawValue))"
        line += ",\"event\":\(quoted(name)),\"message\":\(quoted("\(event.message)"))"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) where !["time", "level", "message"].contains(key) {
            line += ",\(quoted(key)):\(encode(value))"
        }
        if let error = event.error { line += ",\"error\":\(quoted("\(error)"))" }
        sink.emit(line + "}")
    }

    private func encode(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let item): quoted(item.description)
        case .array(let items): "[" + items.map(encode).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(encode($0.value))" }
                .joined(separator: ",") + "}"
        }
    }

    private func quoted(_ text: String) -> String {
        Self.jsonString(redactor.redact(text))
    }

    /// `text` as a JSON string: quotes, backslashes and every control character (C0, DEL, C1,
    /// line and paragraph separators) escaped; other characters as UTF-8.
    static func jsonString(_ text: String) -> String { QuotedText.json(text) }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
