/// How long a connection may take over each part of a request, how many may be open at once, and
/// how long shutdown waits for them: the limits that keep a slow or idle client from holding the
/// server (HTTPServerHost enforces them in `HTTPConnectionGuard`).
///
/// Hummingbird 2.28 offers an idle timeout on the HTTP/1 channel, but it restarts on every body
/// part, so a client that sends one byte a second is never cut off; its connection cap
/// (`availableConnectionsDelegate`) stops accepting instead of answering. Both are done here.
public struct HTTPServerLimits: Sendable, Hashable {
    /// A connection with no request begun (a fresh one, or kept alive after a response) is closed
    /// after this long.
    public var idleTimeout: Duration
    /// A request's head (request line and headers) must be complete this long after its first byte.
    public var headerTimeout: Duration
    /// A request's body must be complete this long after its head.
    public var bodyTimeout: Duration
    /// Connections beyond this many open at once are answered 503 and closed.
    public var maximumConnections: Int
    /// On shutdown, connections still open this long after it began are closed, whatever they are doing.
    public var shutdownGrace: Duration

    /// The defaults: 10 s idle, 5 s for the head, 10 s for the body, 256 connections, 2 s grace.
    /// A status report is a few hundred bytes (a batch at most some kilobytes), sent at once.
    public init(idleTimeout: Duration = .seconds(10), headerTimeout: Duration = .seconds(5),
                bodyTimeout: Duration = .seconds(10), maximumConnections: Int = 256,
                shutdownGrace: Duration = .seconds(2)) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.maximumConnections = maximumConnections
        self.shutdownGrace = shutdownGrace
    }
}

/// What an `HTTPServerHost`'s connection limits did since it started.
public struct HTTPServerStatistics: Sendable, Hashable, Codable {
    /// Connections open now.
    public var openConnections = 0
    /// Connections answered 503 because `maximumConnections` were already open.
    public var refusedOverCap = 0
    /// Connections closed because no request began within the idle timeout.
    public var idleTimeouts = 0
    /// Connections closed because a request's head did not complete within the header timeout.
    public var headerTimeouts = 0
    /// Connections closed because a request's body did not complete within the body timeout.
    public var bodyTimeouts = 0
    /// Connections still open when the shutdown grace ran out, closed then.
    public var closedAtShutdown = 0

    /// All counts zero.
    public init() {}
}
