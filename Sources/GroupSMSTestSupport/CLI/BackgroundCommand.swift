import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One of the package's executables running beside the test (the daemon), with its output in
/// files, stopped by a signal and waited for within a bound.
public final class BackgroundCommand: Sendable {
    private let child: SpawnedProcess
    private let scratch: URL

    /// Starts `executable` from the products directory with `arguments`; the environment is
    /// the test's own minus `GROUPSMS_*`, plus `environment` (as `CommandLineRunner.run`).
    public init(_ arguments: [String], executable: String = "groupsms", environment: [String: String] = [:]) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GROUPSMS_") }
        env.merge(environment) { _, new in new }
        child = try SpawnedProcess.spawn(
            [CommandLineRunner.productsDirectory.appendingPathComponent(executable).path] + arguments, environment: env,
            stdout: scratch.appendingPathComponent("stdout").path, stderr: scratch.appendingPathComponent("stderr").path)
    }

    /// The process id (to send it SIGSTOP and SIGCONT).
    public var pid: pid_t { child.pid }

    /// What it wrote to standard output so far.
    public var stdout: String { read("stdout") }
    /// What it wrote to standard error so far.
    public var stderr: String { read("stderr") }

    /// Sends `signal` (SIGTERM by default) and waits up to `seconds` for the process to end;
    /// returns its exit status, or nil (after killing it) when it did not end in time.
    public func stop(signal: Int32 = SIGTERM, seconds: Double = 10) async -> Int32? {
        kill(child.pid, signal)
        for _ in 0..<Int(seconds * 20) {
            if let status = child.poll() { return status }
            try? await Task.sleep(for: .milliseconds(50))
        }
        kill(child.pid, SIGKILL)
        _ = child.wait()
        return nil
    }

    private func read(_ name: String) -> String {
        (try? String(contentsOf: scratch.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    deinit {
        if child.poll() == nil {
            kill(child.pid, SIGKILL)
            _ = child.wait()
        }
        try? FileManager.default.removeItem(at: scratch)
    }
}
