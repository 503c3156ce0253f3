import Foundation
import GroupSMSPostgres
#if canImport(Glibc)
import Glibc
#endif

extension ThrowawayPostgres {
    /// Starts the server (again, after `stopServer`) on its port and waits until it takes logins:
    /// pg_ctl's own wait (at most 60 s), then a bounded poll of real logins.
    public func startServer() async throws {
        let options = [
            "-p \(port)", "-k \(socketDirectory)", "-c listen_addresses=127.0.0.1",
            // A throwaway server: no fsync, small memory; enough connections for parallel tests.
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=16MB",
            "-c max_connections=200", "-c log_min_messages=warning",
        ].joined(separator: " ")
        try await pgCtl(["start", "-w", "-t", "60", "-o", options, "-l", folder + "/server.log"])
        try await waitForLogins()
    }

    /// Stops the server (fast shutdown: sessions are ended, the data is kept).
    public func stopServer() async throws {
        try await pgCtl(["stop", "-m", "fast", "-w", "-t", "60"])
    }

    /// Restarts the server (fast shutdown, then start) and waits until it takes logins.
    public func restartServer() async throws {
        try await stopServer()
        try await startServer()
    }

    private func pgCtl(_ arguments: [String]) async throws {
        let tools = self.tools, data = dataDirectory, log = folder + "/pg_ctl.log"
        try await Self.offCooperativePool {
            try tools.run("pg_ctl", ["-D", data] + arguments, log: log)
        }
    }

    /// Polls a real login, 100 times at most, 100 ms apart.
    private func waitForLogins() async throws {
        var last: (any Error)?
        for _ in 0..<100 {
            do {
                let connection = try await connect(database: "postgres")
                await connection.close()
                return
            } catch {
                last = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw ThrowawayPostgresError(message: "the server on port \(port) started but took no login within 10 s: "
                                     + "\(last.map { "\($0)" } ?? "no answer"); see \(folder)/server.log")
    }

    /// Ends the server at once (SIGQUIT to the postmaster: PostgreSQL's immediate shutdown) and
    /// removes its folder. Blocking and signal-based, so it also works from `atexit`.
    func removeNow() {
        if let pid = postmasterPID() {
            kill(pid, SIGQUIT)
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(20_000) }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func postmasterPID() -> pid_t? {
        guard let text = try? String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first, let pid = pid_t(first) else { return nil }
        return pid
    }

    /// A process in its own session that waits for this one to end, then ends the server and
    /// removes the folder: the clean-up still happens when the tests are killed.
    func startWatchdog() {
        let data = folder + "/data"
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done
            pid=$(head -n 1 '\(data)/postmaster.pid' 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null && sleep 1
            rm -rf '\(folder)'
            """
        // `setsid -f` forks the watchdog into its own session; waiting reaps the parent at once.
        _ = try? PostgresServerTools.spawn(["/usr/bin/setsid", "-f", "/bin/sh", "-c", script], output: nil, wait: true)
    }

    /// Runs blocking work (child processes) on a GCD thread, so the tests' cooperative threads
    /// are not held while a server starts.
    static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
