import Foundation

/// One of the package's executables running beside the test (the daemon), with its output in
/// files, stopped by a signal and waited for within a bound.
public final class BackgroundCommand: @unchecked Sendable {
    private let process = Process()
    private let scratch: URL

    /// Starts `executable` from the products directory with `arguments`; the environment is
    /// the test's own minus `GROUPSMS_*`, plus `environment` (as `CommandLineRunner.run`).
    public init(_ arguments: [String], executable: String = "groupsms", environment: [String: String] = [:]) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        process.executableURL = CommandLineRunner.productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GROUPSMS_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: nil)
        }
        process.standardOutput = try FileHandle(forWritingTo: scratch.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("stderr"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// What it wrote to standard output so far.
    public var stdout: String { read("stdout") }
    /// What it wrote to standard error so far.
    public var stderr: String { read("stderr") }

    /// Sends `signal` (SIGTERM by default) and waits up to `seconds` for the process to end;
    /// returns its exit status, or nil (after killing it) when it did not end in time.
    public func stop(signal: Int32 = SIGTERM, seconds: Double = 10) async -> Int32? {
        kill(process.processIdentifier, signal)
        for _ in 0..<Int(seconds * 20) where process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    private func read(_ name: String) -> String {
        (try? String(contentsOf: scratch.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: scratch)
    }
}
