import Foundation
import GroupSMSPostgres
import GroupSMSTestSupport
import Testing

/// Real `groupsms` processes on one PostgreSQL store: a database of their own on a throwaway
/// server, simulators with their own logs, daemons each with their own data dir.
struct SharedStoreKit {
    let server: ThrowawayPostgres
    let store: String
    let directory: TemporaryDirectory

    /// A fresh database on the test process's shared server (or on `server`, for a test that
    /// restarts its own).
    static func make(server: ThrowawayPostgres? = nil) async throws -> SharedStoreKit {
        let server = if let server { server } else { try await ThrowawayPostgres.shared() }
        let database = try await server.makeDatabase()
        return SharedStoreKit(server: server, store: server.url(database: database).description,
                              directory: try TemporaryDirectory(prefix: "cli-shared"))
    }

    /// The demo credentials and the store's password, as a daemon's unit file would give them.
    var environment: [String: String] {
        var environment = JobCLITestKit.demoCredentials
        environment["PGPASSWORD"] = server.password.secretValue
        return environment
    }

    /// A simulator writing its JSON-lines log to `<name>.jsonl`; returns it with its endpoint.
    func simulator(_ name: String, latency: String = "20-60") throws -> (process: ChildProcess, endpoint: String, log: String) {
        let log = directory.file("\(name).jsonl")
        let simulator = try ChildProcess(executable: "groupsms-sim", arguments: [
            "--listen", "127.0.0.1:0", "--log", log, "--latency-ms", latency, "--no-reports", "--no-number-limits",
        ])
        let endpoint = try #require(try simulator.waitForLine(containing: "listening on")
            .split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        return (simulator, endpoint, log)
    }

    /// `groupsms submit` of a job file: `count` mainland numbers (block `block`), windows off,
    /// starting now; no endpoint is stored, so each daemon sends to its own.
    func submit(count: Int, block: Int) throws {
        let book = try JobCLITestKit.workbook(in: directory, count: count, name: "b\(block).xlsx", block: block)
        let jobFile = directory.file("job-\(block).yaml")
        try """
            name: block\(block)
            recipients: [\((book as NSString).lastPathComponent)]
            template: tmpl0001
            params: ["\(block)"]
            from: "8824110605"
            send_window: any
            """.write(toFile: jobFile, atomically: true, encoding: .utf8)
        let result = try CommandLineRunner.run([
            "submit", jobFile, "--store", store, "--data-dir", directory.file("submitter"),
        ], environment: environment)
        #expect(result.status == 0, "submit: \(result.stderr)")
    }

    /// `groupsms daemon` on the shared store, with its own data dir and JSON logs.
    func daemon(_ name: String, endpoint: String, lease: Int = 3) throws -> BackgroundCommand {
        // An empty jobs folder of its own: without one the daemon would read ./Jobs.
        let jobs = directory.file("jobs-\(name)")
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        return try BackgroundCommand([
            "daemon", "--store", store, "--lease", "\(lease)", "--endpoint", endpoint, "--data-dir",
            directory.file("daemon-\(name)"), "--jobs-dir", jobs, "--log-format", "json",
        ], environment: environment)
    }

    /// The JSON log events (`event` values) a daemon wrote so far, with the job each names.
    static func events(_ daemon: BackgroundCommand) -> [(event: String, job: String?)] {
        daemon.stdout.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let event = object["event"] as? String else { return nil }
            return (event, object["job"] as? String)
        }
    }

    /// How often `untilFinished` polls with `show`: each poll starts a `groupsms` process, and on
    /// a 2-core machine twenty a second would delay the daemons' requests the pace is judged on.
    private static let showPoll = Duration.milliseconds(500)

    /// Waits until every job in `jobs` shows `finished`, polling `show` every `showPoll`.
    func untilFinished(_ jobs: [String], seconds: Double = 90) async throws {
        try await until("\(jobs.joined(separator: " and ")) finished", seconds: seconds, every: Self.showPoll) {
            try jobs.allSatisfy { try show($0)["state"] as? String == "finished" }
        }
    }

    /// `groupsms show JOB --json` on the shared store.
    func show(_ job: String) throws -> [String: Any] {
        let result = try CommandLineRunner.run(["show", job, "--json", "--store", store,
                                                "--data-dir", directory.file("submitter")], environment: environment)
        return try JobCLITestKit.object(result.stdout)
    }

    /// Polls `condition` every `interval` until `seconds` of real time have passed (a condition
    /// that runs a command counts its own time); fails with `what` when it never held.
    func until(_ what: String, seconds: Double = 60, every interval: Duration = .milliseconds(50),
               _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try condition() { return }
            try await Task.sleep(for: interval)
        }
        throw JobCLITestFailure("\(what) did not happen within \(seconds) s")
    }

    /// Accepted numbers and receive times (µs) of every simulator log given, merged.
    static func receipts(_ logs: [String]) -> [(at: Int64, count: Int)] {
        logs.flatMap { CrashResumeTests.receipts(in: $0) }.sorted { $0.at < $1.at }
    }

    /// Every accepted number in the logs given (a number twice means it was sent twice).
    static func accepted(_ logs: [String]) -> [String] {
        logs.flatMap { CrashResumeTests.requests(in: $0).flatMap { $0 } }
    }
}
