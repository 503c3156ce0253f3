import Foundation
import GroupSMSModel
import GroupSMSHTTPServer
import Hummingbird

/// The simulated Message & SMS platform: a real HTTP server (Hummingbird) serving
/// `/sms/batchSendSms/v1` and `/sms/batchSendDiffSms/v1` as configured.
///
/// Start it in-process with `PlatformSimulator.start(_:clock:)`, point a client at `endpoint`
/// with the configured credentials (`SimulatorCredentials.demo` by default), and `shutdown()`
/// when done.
/// Budgets and per-number limits follow the injected `WallClock`; latency and stalls are real
/// time because they act on the client's real timeouts.
public final class PlatformSimulator: Sendable {
    /// The configuration it runs with.
    public let configuration: SimulatorConfiguration
    /// The address it listens on.
    public let host: String
    /// The port it listens on (the one picked when configured as 0).
    public let port: Int
    private let state: SimulatorPlatformState
    private let reporter: SimulatorReporter
    private let log: SimulatorLog?
    private let stopSignal: SimulatorStopSignal
    private let server: HTTPServerHost

    /// The endpoint for `PlatformClientConfiguration`, e.g. `http://127.0.0.1:49152`.
    public var endpoint: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    private init(configuration: SimulatorConfiguration, state: SimulatorPlatformState, reporter: SimulatorReporter,
                 log: SimulatorLog?, stopSignal: SimulatorStopSignal, server: HTTPServerHost) {
        self.configuration = configuration
        host = server.host
        port = server.port
        self.state = state
        self.reporter = reporter
        self.log = log
        self.stopSignal = stopSignal
        self.server = server
    }

    /// Starts the server and returns once it listens.
    public static func start(_ configuration: SimulatorConfiguration = SimulatorConfiguration(),
                             clock: any WallClock = SystemWallClock()) async throws -> PlatformSimulator {
        let state = SimulatorPlatformState(configuration: configuration)
        let reporter = SimulatorReporter(configuration: configuration.reports, clock: clock)
        let stopSignal = SimulatorStopSignal()
        do {
            let log = try configuration.logPath.map { try SimulatorLog(path: $0) }
            let handler = SimulatorHTTPHandler(configuration: configuration, clock: clock, state: state, reporter: reporter,
                                               log: log, stopSignal: stopSignal)
            let router = Router(context: SimulatorRequestContext.self)
            router.post("/sms/batchSendSms/v1") { request, context in
                try await handler.handle(request, context: context, endpoint: .batchSendSms)
            }
            router.post("/sms/batchSendDiffSms/v1") { request, context in
                try await handler.handle(request, context: context, endpoint: .batchSendDiffSms)
            }
            let server: HTTPServerHost
            do {
                server = try await HTTPServerHost.start(responder: router.buildResponder(), host: configuration.host,
                                                        port: configuration.port)
            } catch {
                throw SimulatorError.cannotStart(error.description)
            }
            return PlatformSimulator(configuration: configuration, state: state, reporter: reporter, log: log,
                                     stopSignal: stopSignal, server: server)
        } catch {
            await reporter.shutdown()
            throw error
        }
    }

    /// Every request handled so far (empty when `keepRecords` is off).
    public func records() async -> [SimulatorRequestRecord] {
        await state.allRecords()
    }

    /// Status report posts made so far: all of them, the ones answered 200, and the others
    /// (another status, or no answer). Each post is made once, never retried.
    public var reportPosts: (posts: Int, answered200: Int, failed: Int) {
        let counters = reporter.snapshot
        return (counters.posts, counters.answered200, counters.failed)
    }

    /// Stops listening, closes connections, drops pending reports and closes the log.
    public func shutdown() async {
        stopSignal.raise()
        await server.shutdown()
        await reporter.shutdown()
        await log?.close()
    }

    /// Runs until the surrounding task is cancelled, then shuts down (for the executable).
    public func waitUntilCancelled() async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 3_600 * 1_000_000_000)
        }
        await shutdown()
    }
}
