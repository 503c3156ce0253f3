import ArgumentParser
import Dispatch
import Foundation
import GroupSMSSimulator

/// `groupsms-sim`: the simulated Message & SMS platform as a stand-alone server.
@main
struct GroupSMSSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groupsms-sim",
        abstract: "Runs the simulated Message & SMS platform (both send endpoints, both auth schemes, limits, templates, faults, status reports).",
        discussion: """
            Defaults: demo credentials (app key \(SimulatorCredentials.demo.appKey)), no budgets, no faults, any template \
            accepted, every report DELIVRD after 1 s. Reports go once to each request's statusCallback (single form), or \
            without one to --console-callback (batch JSON). Stop with Ctrl-C or SIGTERM.
            """)

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:0"
    @Option(help: "Application key the simulator accepts.")
    var appKey: String = SimulatorCredentials.demo.appKey
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
    @Option(help: "An approved template, ID=TEXT (repeatable). With any template registered, other ids get E200030 and values that do not fit E200028.")
    var template: [String] = []
    @Option(help: "A file of approved templates, one ID=TEXT a line (# starts a comment line).")
    var templates: String?
    @Option(help: "Answer delay in milliseconds: N or MIN-MAX (uniform jitter).")
    var latencyMs: String = "0"
    @Option(help: "Fraction of requests answered with HTTP 500 (not processed).")
    var serverErrorFraction: Double = 0
    @Option(help: "Fraction of requests processed, then dropped without an answer.")
    var dropFraction: Double = 0
    @Option(help: "Fraction of requests processed, then answered only after --stall-seconds.")
    var stallFraction: Double = 0
    @Option(help: "Seconds a stalled request waits.")
    var stallSeconds: Double = 30
    @Option(name: .customLong("accept-then-502-fraction"), help: "Fraction of requests processed, then answered HTTP 502 with a gateway HTML page.")
    var acceptThen502Fraction: Double = 0
    @Option(help: "Fraction of requests processed, then answered HTTP 200 with the gateway's {\"error_code\":\"APIGW.0308\",...} (no code).")
    var acceptThenGatewayBodyFraction: Double = 0
    @Option(help: "Fraction of requests processed, then answered HTTP 200 with --unknown-code.")
    var unknownCodeFraction: Double = 0
    @Option(help: "The undocumented result code of --unknown-code-fraction.")
    var unknownCode: String = "E999999"
    @Option(help: "Answer every number of a request with this status (e.g. E200028), code E000510, nothing processed.")
    var wholeRequestStatus: String?
    @Option(help: "Fraction of requests that get --whole-request-status.")
    var wholeRequestFraction: Double = 1
    @Option(help: "Apply the faults only to the first N requests.")
    var faultFirst: Int?
    @Option(help: "Seed of all random draws.")
    var seed: UInt64 = 1
    @Option(help: "URL for batch reports of requests without statusCallback (the console-configured address).")
    var consoleCallback: String?
    @Option(help: "Seconds until a number's status report is pushed.")
    var reportDelay: Double = 1
    @Option(help: "Reports per batch post (1-50).")
    var reportBatchSize: Int = 50
    @Option(help: "Report status by number suffix, SUFFIX=STATUS (repeatable), e.g. 13=UNDELIV or 77=MN:000123.")
    var reportStatus: [String] = []
    @Option(help: "Fraction of other numbers reported with a failure from --report-failure-statuses.")
    var reportFailureFraction: Double = 0
    @Option(help: "Comma-separated failure statuses drawn for --report-failure-fraction.")
    var reportFailureStatuses: String = "UNDELIV"
    @Option(help: "Parts per message, each reported (total/sequence): N, or 'counted' for the registered template's segments.")
    var reportSegments: String = "1"
    @Option(help: "In multi-part messages, the part that fails while the others are DELIVRD: SEQUENCE=STATUS, e.g. 2=UNDELIV.")
    var reportFailingPart: String?
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
