import Foundation

/// The outcome of running one of the package's executables in a test.
public struct CommandLineRun: Sendable {
    /// Exit status (or 128 + signal number).
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String
}

/// Runs the package's built executables (`groupsms`, `groupsms-sim`) as child processes, the way
/// a user or script would, so CLI tests check exact output and exit codes. Children are started
/// and reaped with `SpawnedProcess` (posix_spawn, waitpid), never missed.
public enum CommandLineRunner {
    /// The build products directory: the one holding the running test binary.
    public static var productsDirectory: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // On platforms that wrap tests in a bundle, step out of it.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
            || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory
    }

    /// Runs `executable` (default `groupsms`) from the products directory with `arguments`.
    ///
    /// The environment is the test's own minus any `GROUPSMS_*` variables, plus `environment`,
    /// so a developer's settings never leak into assertions.
    public static func run(
        _ arguments: [String],
        executable: String = "groupsms",
        environment: [String: String] = [:],
        currentDirectory: String? = nil
    ) throws -> CommandLineRun {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GROUPSMS_") }
        env.merge(environment) { _, new in new }
        // Output goes to files, not pipes, so a large output can never block the child.
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let child = try SpawnedProcess.spawn([productsDirectory.appendingPathComponent(executable).path] + arguments,
                                           environment: env, currentDirectory: currentDirectory,
                                           stdout: outURL.path, stderr: errURL.path)
        let status = try Self.waitBounded(child, arguments: arguments)
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return CommandLineRun(
            status: status,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// How long one command may run before the test fails (no command of the suite needs a
    /// fraction of it; a hung one must fail the test rather than the whole run).
    public static let commandTimeLimit: Duration = .seconds(180)

    private static func waitBounded(_ child: SpawnedProcess, arguments: [String]) throws -> Int32 {
        let deadline = ContinuousClock.now + commandTimeLimit
        while ContinuousClock.now < deadline {
            if let status = child.poll() { return status }
            usleep(10_000)
        }
        kill(child.pid, SIGKILL)
        _ = child.wait()
        throw CommandLineTimeout(arguments: arguments, limit: commandTimeLimit)
    }
}

/// A command that did not end within `CommandLineRunner.commandTimeLimit`; it was killed.
public struct CommandLineTimeout: Error, CustomStringConvertible {
    /// The command's arguments.
    public let arguments: [String]
    /// The limit it ran past.
    public let limit: Duration

    public var description: String { "groupsms \(arguments.joined(separator: " ")) did not end within \(limit); killed" }
}
