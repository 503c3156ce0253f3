import Foundation
import GroupSMSModel
import Logging
import Synchronization

/// How log lines are written: `--log-format text|json`.
public enum LogFormat: String, Sendable, CaseIterable {
    /// The human lines groupsms always wrote: a timestamp and the message.
    case text
    /// One JSON object a line: time, level, event, message and the line's fields (job, chunk, smsMsgId...).
    case json
}

/// Where finished log lines go, one whole line at a time (lines of concurrent writers never mix).
public final class LogLineSink: Sendable {
    private let write: Mutex<@Sendable (String) -> Void>

    /// A sink that hands each line (without its newline) to `write`.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = Mutex(write)
    }

    /// Standard output, unbuffered.
    public static let standardOutput = LogLineSink { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
    /// Standard error, unbuffered.
    public static let standardError = LogLineSink { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    func emit(_ line: String) {
        write.withLock { $0(line) }
    }
}

/// Texts a log must never show (app key and secret, store password, report token), replaced by
/// `<redacted>` wherever they appear in a line: a last guard behind code that never logs them.
public struct LogRedactor: Sendable {
    private let secrets: [String]
    private let redactors: [@Sendable (String) -> String]

    /// A redactor for `secrets` and for what `redactors` hide (e.g. `PlatformCredentials.redactingSecret`,
    /// which keeps the app secret in its own module); secrets shorter than 4 characters (which
    /// would mangle ordinary words) are ignored.
    public init(secrets: [String], redactors: [@Sendable (String) -> String] = []) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
        self.redactors = redactors
    }

    /// `text` with every secret replaced.
    public func redact(_ text: String) -> String {
        let named = secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
        return redactors.reduce(named) { $1($0) }
    }
}

/// Makes the loggers of a command run: `--log-format` and `--log-level` in one place.
public enum OperationsLogging {
    /// A logger writing `format` lines at `level` and above to `sink`, with `secrets` redacted.
    public static func logger(format: LogFormat, level: Logger.Level = .info, sink: LogLineSink,
                              redactor: LogRedactor = LogRedactor(secrets: []), label: String = "groupsms") -> Logger {
        var logger = Logger(label: label) { _ in
            switch format {
            case .text: TextLineLogHandler(sink: sink, redactor: redactor)
            case .json: JSONLineLogHandler(sink: sink, redactor: redactor)
            }
        }
        logger.logLevel = level
        return logger
    }
}

/// `2026-12-01T09:00:00Z message`: the daemon's human lines, control characters made visible.
struct TextLineLogHandler: LogHandler {
    let sink: LogLineSink
    let redactor: LogRedactor
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        sink.emit("\(stamp) \(UntrustedText.escaped(redactor.redact("\(event.message)")))")
    }
}
