import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a child process could not be started.
public struct ChildProcessError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A child process started with posix_spawn and reaped with waitpid on its own pid.
///
/// Foundation's `Process` learns of a child's end from SIGCHLD, and a signal taken by another
/// thread of the process is lost: the test process was seen waiting for ever, spinning, on a
/// child that had long exited (a zombie). waitpid on the pid cannot miss it.
public struct ChildProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t

    /// Starts `argv[0]` (a path) with `argv`, the given environment (nil: this process's), in
    /// `currentDirectory` (nil: this one), standard input from /dev/null, standard output and
    /// error appended to the files given (nil: /dev/null; the same path may be given for both).
    public static func spawn(_ argv: [String], environment: [String: String]? = nil, currentDirectory: String? = nil,
                             stdout: String? = nil, stderr: String? = nil) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_APPEND | O_CREAT, 0o644)
        if let stderr, stderr != stdout {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // posix_spawn has no working-directory attribute Swift imports: coreutils' env changes it.
        let argv = currentDirectory.map { ["/usr/bin/env", "-C", $0] + argv } ?? argv
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            arguments.forEach { free($0) }
            variables?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = variables.map { posix_spawn(&pid, argv[0], &actions, nil, arguments, $0) }
            ?? posix_spawn(&pid, argv[0], &actions, nil, arguments, environ)
        guard code == 0 else {
            throw ChildProcessError(description: "cannot start \(argv[0]): \(String(cString: strerror(code)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Waits for the child to end; its exit status, or 128 + the signal that ended it.
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return Self.exitStatus(status)
    }

    /// The exit status when the child has ended (it is then reaped), nil while it runs.
    public func poll() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid ? Self.exitStatus(status) : nil
    }

    /// WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
    private static func exitStatus(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
