import ArgumentParser
import Dispatch
import Foundation
import GroupSMSPlatform
import GroupSMSHTTPServer
import GroupSMSSimulator

/// `groupsms-sim`: the simulated Message & SMS platform as a stand-alone server.
@main
struct GroupSMSSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groupsms-sim",
        abstract: "Runs the simulated Message & SMS platform (both send endpoints, both auth schemes, limits, faults, status reports).",
        discussion: "Defaults: demo credentials (app key \(PlatformCredentials.simulatorDemo.appKey)), no budgets, no faults, every report DELIVRD after 1 s. Stop with Ctrl-C or SIGTERM.")

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:0"
    @Option(help: "Application key the simulator accepts.")
    var appKey: String = PlatformCredentials.simulatorDemo.appKey
    @Option(help: "Environment variable holding the application secret (default: the demo secret).")
    var appSecretEnv: String?
    @Option(help: "Account condition after authentication: \(SimulatorAccountState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var accountState: String = SimulatorAccountState.active.rawValue
    @Option(help: "Numbers per second (sliding 1 s window) before E200015.")
    var maxRate: Int?
    @Option(help: "Numbers per UTC day before E000623.")
    var dailyLimit: Int?
    @Option(help: "Numbers per UTC month before E000623.")
    var monthlyLimit: Int?
    @Flag(help: "Do not enforce the per-number limits (15/min, 50/24 h, same content 2/59 s and 5/59 min).")
    var noNumberLimits = false
    @Option(help: "Answer delay in milliseconds: N or MIN-MAX (uniform jitter).")
    var latencyMs: String = "0"
    @Option(help: "Fraction of requests answered with HTTP 500.")
    var serverErrorFraction: Double = 0
    @Option(help: "Fraction of requests processed, then dropped without an answer.")
    var dropFraction: Double = 0
    @Option(help: "Fraction of requests processed, then answered only after --stall-seconds.")
    var stallFraction: Double = 0
    @Option(help: "Seconds a stalled request waits.")
    var stallSeconds: Double = 30
    @Option(help: "Seed of all random draws.")
    var seed: UInt64 = 1
    @Option(help: "Status report format: single or batch.")
    var reportFormat: String = "single"
    @Option(help: "Seconds until a number's status report is pushed.")
    var reportDelay: Double = 1
    @Option(help: "Reports per batch post (1-50).")
    var reportBatchSize: Int = 50
    @Option(help: "Report status by number suffix, SUFFIX=STATUS (repeatable), e.g. 13=UNDELIV.")
    var reportStatus: [String] = []
    @Option(help: "Fraction of other numbers reported with a failure from --report-failure-statuses.")
    var reportFailureFraction: Double = 0
    @Option(help: "Comma-separated failure statuses drawn for --report-failure-fraction.")
    var reportFailureStatuses: String = "UNDELIV"
    @Option(help: "Seconds before a report post that did not get 200 is retried.")
    var reportRetryDelay: Double = 1
    @Option(help: "Attempts per report post.")
    var reportAttempts: Int = 3
    @Flag(help: "Push no status reports.")
    var noReports = false
    @Option(help: "Write one JSON line per request to this file.")
    var log: String?

    func run() async throws {
        let configuration = try makeConfiguration()
        let simulator = try await PlatformSimulator.start(configuration)
        // Written unbuffered, so a script waiting for this line sees it at once.
        FileHandle.standardOutput.write(Data("groupsms-sim listening on \(simulator.endpoint) (app key \(configuration.credentials.appKey))\n".utf8))
        await Self.waitForTerminationSignal()
        await simulator.shutdown()
        print("groupsms-sim stopped")
    }

    private func makeConfiguration() throws -> SimulatorConfiguration {
        var c = SimulatorConfiguration()
        guard let address = HTTPServerHost.address(listen) else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8443")
        }
        (c.host, c.port) = address
        if let name = appSecretEnv {
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw ValidationError("environment variable \(name) (from --app-secret-env) is not set")
            }
            c.credentials = PlatformCredentials(appKey: appKey, appSecret: value)
        } else {
            c.credentials = PlatformCredentials.simulatorDemo.replacingAppKey(appKey)
        }
        guard let state = SimulatorAccountState(rawValue: accountState) else {
            throw ValidationError("--account-state must be one of \(SimulatorAccountState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        c.accountState = state
        c.maxRate = maxRate
        c.dailyLimit = dailyLimit
        c.monthlyLimit = monthlyLimit
        c.enforceNumberLimits = !noNumberLimits
        c.latency = try Self.latencyRange(latencyMs)
        c.serverErrorFraction = serverErrorFraction
        c.dropFraction = dropFraction
        c.stallFraction = stallFraction
        c.stallSeconds = stallSeconds
        c.seed = seed
        c.logPath = log
        c.keepRecords = false
        guard let format = SimulatorReportFormat(rawValue: reportFormat) else {
            throw ValidationError("--report-format must be single or batch")
        }
        c.reports.enabled = !noReports
        c.reports.format = format
        c.reports.delay = reportDelay
        c.reports.batchSize = reportBatchSize
        c.reports.failureFraction = reportFailureFraction
        c.reports.failureStatuses = reportFailureStatuses.split(separator: ",").map(String.init)
        c.reports.retryDelay = reportRetryDelay
        c.reports.maxAttempts = reportAttempts
        for rule in reportStatus {
            let parts = rule.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy(\.isNumber), !parts[1].isEmpty else {
                throw ValidationError("--report-status must be SUFFIX=STATUS with a digit suffix, e.g. 13=UNDELIV")
            }
            c.reports.statusBySuffix[parts[0]] = parts[1]
        }
        return c
    }

    static func latencyRange(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: "-").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }) else {
            throw ValidationError("--latency-ms must be N or MIN-MAX in milliseconds, e.g. 20-80")
        }
        let low = parts[0]! / 1000, high = (parts.count == 2 ? parts[1]! : parts[0]!) / 1000
        guard low <= high else { throw ValidationError("--latency-ms: MIN must not exceed MAX") }
        return low...high
    }

    private static func waitForTerminationSignal() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            sources.append(source)
        }
        for await _ in stream { break }
        sources.forEach { $0.cancel() }
    }
}
