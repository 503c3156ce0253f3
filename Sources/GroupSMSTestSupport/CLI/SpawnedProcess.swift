import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a child process could not be started.
public struct SpawnedProcessError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A child process started with posix_spawn and reaped with waitpid on its own pid.
///
/// Foundation's `Process` was seen never to report the end of a child (pg_ctl under runuser)
/// whose own child, the PostgreSQL server, lived on, spinning in `waitUntilExit` beside a
/// zombie; waitpid on the pid cannot miss the end, and waits without spinning.
///
/// The child gets no signal blocked and no descriptor but its standard three: every other one
/// is closed in it before it runs. A test's listening sockets inherited by a long-lived child
/// (the PostgreSQL server) would otherwise keep their ports listening after the test closed
/// them, so a stopped server's port would not refuse connections and could not be bound again.
public struct SpawnedProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t

    /// Starts `argv[0]` (a path) with `argv`, the given environment (nil: this process's), in
    /// `currentDirectory` (nil: this one), standard input from /dev/null, standard output and
    /// error appended to the files given (nil: /dev/null; the same path may be given for both).
    public static func spawn(_ argv: [String], environment: [String: String]? = nil, currentDirectory: String? = nil,
                             stdout: String? = nil, stderr: String? = nil) throws -> SpawnedProcess {
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
        guard GlibcSpawnExtensions.closeFrom(&actions, 3) == 0 else {
            throw SpawnedProcessError(description: "cannot ask posix_spawn to close inherited descriptors")
        }
        if let currentDirectory, GlibcSpawnExtensions.changeDirectory(&actions, currentDirectory) != 0 {
            throw SpawnedProcessError(description: "cannot ask posix_spawn to start in \(currentDirectory)")
        }
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            arguments.forEach { free($0) }
            variables?.forEach { free($0) }
        }
        // The child starts with no signal blocked and every signal at its default action: the
        // spawning thread (a Dispatch or Swift concurrency worker) blocks some, and a child would
        // inherit that mask and, say, ignore SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let code = variables.map { posix_spawn(&pid, argv[0], &actions, &attributes, arguments, $0) }
            ?? posix_spawn(&pid, argv[0], &actions, &attributes, arguments, environ)
        guard code == 0 else {
            throw SpawnedProcessError(description: "cannot start \(argv[0]): \(String(cString: strerror(code)))")
        }
        return SpawnedProcess(pid: pid)
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

/// glibc's posix_spawn extensions (2.29 and 2.34) that Swift's Glibc module does not import,
/// looked up by name.
enum GlibcSpawnExtensions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                                        UnsafePointer<CChar>) -> Int32

    /// posix_spawn_file_actions_addclosefrom_np: close every descriptor from `lowest` up in the child.
    static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return -1
        }
        return unsafeBitCast(symbol, to: CloseFrom.self)(actions, lowest)
    }

    /// posix_spawn_file_actions_addchdir_np: start the child in `path`.
    static func changeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return -1
        }
        return path.withCString { unsafeBitCast(symbol, to: ChangeDirectory.self)(actions, $0) }
    }
}
