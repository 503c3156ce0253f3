import Hummingbird
import HummingbirdCore
import ServiceLifecycle

/// A Hummingbird responder served in-process on a given address, started and stopped on demand:
/// the status-report receiver, the simulated platform and test receivers all run on it.
///
/// Every connection is held to `HTTPServerLimits` (idle, header and body timeouts, a cap on open
/// connections answered 503 beyond it); see `HTTPConnectionGuard`.
///
/// Shutdown is graceful (through a `ServiceGroup`): the listener closes first, idle kept-alive
/// connections are closed and running requests finish; a connection still open after the
/// limits' `shutdownGrace` is closed, so a slow client cannot hold shutdown. Stopping by task
/// cancellation instead can drop a just-accepted connection that NIO then traps on, so it is
/// not used.
public final class HTTPServerHost: Sendable {
    /// The address listened on.
    public let host: String
    /// The port listened on (the one picked when asked for 0).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let ledger: HTTPConnectionLedger

    private init(host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>, ledger: HTTPConnectionLedger) {
        self.host = host
        self.port = port
        self.group = group
        self.task = task
        self.ledger = ledger
    }

    /// Starts serving `responder` on `host:port` (port 0 picks a free one) under `limits` and
    /// returns once it listens.
    public static func start<Responder: HTTPResponder>(responder: Responder, host: String = "127.0.0.1", port: Int = 0,
                                                       limits: HTTPServerLimits = HTTPServerLimits())
        async throws(HTTPServerHostError) -> HTTPServerHost
    where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let ledger = HTTPConnectionLedger(limits: limits)
        // Hummingbird's own idle timeout stays off: the guard's deadlines replace it.
        let channel = HTTP1Channel.Configuration(additionalChannelHandlers: [HTTPConnectionGuard(ledger: ledger)])
        var app = Application(
            responder: responder,
            server: .http1(configuration: channel),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                sink.yield(channel.localAddress?.port ?? 0)
                sink.finish()
            })
        // Hummingbird's own log lines would go to standard output, which `--json` output owns.
        app.logger.logLevel = .critical
        let group = ServiceGroup(services: [app], logger: app.logger)
        let task = Task {
            do {
                try await group.run()
            } catch {
                sink.finish()
                throw error
            }
            sink.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            let outcome = await task.result
            if case .failure(let error) = outcome {
                throw .cannotListen(address: "\(host):\(port)", reason: "\(error)")
            }
            throw .cannotListen(address: "\(host):\(port)", reason: "the server did not start listening")
        }
        return HTTPServerHost(host: host, port: bound, group: group, task: task, ledger: ledger)
    }

    /// What the connection limits did so far, and how many connections are open now.
    public func statistics() -> HTTPServerStatistics {
        ledger.statistics
    }

    /// Splits `HOST:PORT` (an IPv6 host in brackets, `[::1]:8080`); nil when it is not of that
    /// form or the port is not 0-65535.
    public static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    /// Stops listening, lets running requests finish (closing connections still open after the
    /// shutdown grace), and returns when the server is down. Safe to call more than once.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// Why an HTTP server could not start.
public enum HTTPServerHostError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address could not be listened on (in use, not local, bad port).
    case cannotListen(address: String, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        }
    }
}
