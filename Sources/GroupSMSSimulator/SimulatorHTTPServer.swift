import Hummingbird
import ServiceLifecycle

/// A Hummingbird responder served in-process on a given address, started and stopped on demand.
///
/// Shutdown is graceful (through a `ServiceGroup`): the listener closes first, idle kept-alive
/// connections are closed and running requests finish. Stopping by task cancellation instead
/// can drop a just-accepted connection that NIO then traps on, so it is not used.
public final class SimulatorHTTPServer: Sendable {
    /// The address listened on.
    public let host: String
    /// The port listened on (the one picked when asked for 0).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.group = group
        self.task = task
    }

    /// Starts serving `responder` on `host:port` (port 0 picks a free one) and returns once it listens.
    public static func start<Responder: HTTPResponder>(responder: Responder, host: String = "127.0.0.1",
                                                       port: Int = 0) async throws -> SimulatorHTTPServer
    where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        var app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                sink.yield(channel.localAddress?.port ?? 0)
                sink.finish()
            })
        app.logger.logLevel = .warning
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
            if case .failure(let error) = outcome { throw SimulatorError.cannotStart("\(host):\(port): \(error)") }
            throw SimulatorError.cannotStart("\(host):\(port) did not start listening")
        }
        return SimulatorHTTPServer(host: host, port: bound, group: group, task: task)
    }

    /// Stops listening, lets running requests finish, and returns when the server is down.
    /// Safe to call more than once.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
