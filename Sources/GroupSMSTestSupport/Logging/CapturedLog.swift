import Foundation
import Logging
import Synchronization

/// A swift-log destination that keeps every line (level, message, metadata) for a test to read.
///
/// ```swift
/// let log = CapturedLog()
/// let logger = log.logger(level: .trace)
/// ... code under test logs to `logger` ...
/// #expect(!log.text.contains(secret))
/// ```
public final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    /// An empty log.
    public init() {}

    /// A logger writing here, at `level` and above.
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(log: self) }
        logger.logLevel = level
        return logger
    }

    /// Every line so far, one a line: `level message key=value ...`.
    public var text: String { lines.withLock { $0.joined(separator: "\n") } }

    /// How many lines were written.
    public var count: Int { lines.withLock { $0.count } }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            log.append(([event.level.rawValue, "\(event.message)"] + fields).joined(separator: " "))
        }
    }
}
