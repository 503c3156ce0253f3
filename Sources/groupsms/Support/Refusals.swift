import ArgumentParser
import Foundation
import GroupSMSModel
import Logging
import Synchronization

/// Runs a command's work under the CLI's exit-status contract: a domain error (a refused file,
/// job or operation) is printed on standard error as `groupsms: <message>` and exits 1; usage
/// errors keep ArgumentParser's exit 64.
func refusingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch is CancellationError {
        throw ExitCode(130)
    } catch {
        // Messages may quote cells and files: each line's control characters are escaped.
        let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: false)
        StandardError.print("groupsms: " + lines.map { UntrustedText.escaped(String($0)) }.joined(separator: "\n"),
                            level: .error)
        throw ExitCode(1)
    }
}

/// Writing to standard error.
enum StandardError {
    /// Set by a command run with `--log-format json` whose event log is on standard error: its
    /// notices and errors then become JSON lines too (`event` "notice"), so the stream stays one
    /// object a line.
    static let jsonLog = Mutex<Logger?>(nil)

    /// Prints `line` and a newline to standard error (a JSON line at `level` under `jsonLog`).
    static func print(_ line: String, level: Logger.Level = .notice) {
        if let logger = jsonLog.withLock({ $0 }) {
            let message = line.hasPrefix("groupsms: ") ? String(line.dropFirst(10)) : line
            logger.log(level: level, "\(message)", metadata: ["event": "notice"])
            return
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
