import ArgumentParser
import Foundation
import GroupSMSModel

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
        StandardError.print("groupsms: " + lines.map { UntrustedText.escaped(String($0)) }.joined(separator: "\n"))
        throw ExitCode(1)
    }
}

/// Writing to standard error.
enum StandardError {
    /// Prints `line` and a newline to standard error.
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
