import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Enforces `HTTPServerLimits` on one connection: the idle, header and body deadlines, the cap on
/// open connections, and the shutdown grace. It sits after Hummingbird's HTTP/1 decoding, where
/// request parts are visible, and adds `RequestByteObserver` in front of the decoder to learn
/// when a request's first byte arrives (the header deadline runs from there).
///
/// A connection over the cap is answered 503 at once, before it sends anything, and its output
/// is closed; what it sends is read and dropped (closing with unread input would reset the
/// connection and lose the answer) until it closes or the idle timeout ends it. That 503 is for
/// connections over the cap only, never for a report that was read: the platform ignores answers
/// and would send the report again later only if it retries at all, so the cap is set far above
/// what it uses (one connection per report push, `Connection: close`).
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Deadline { case idle, header, body }

    private let ledger: HTTPConnectionLedger
    private var context: ChannelHandlerContext?
    private var counted = false
    private var overCap = false
    /// Between a request's head and its end.
    private var readingRequest = false
    /// Requests whose response has not ended yet.
    private var awaitingResponses = 0
    /// Bytes of a request arrived while no request was being read or answered.
    private var requestBegun = false
    private var deadline: Scheduled<Void>?
    private var shutdownDeadline: Scheduled<Void>?

    init(ledger: HTTPConnectionLedger) {
        self.ledger = ledger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let observer = RequestByteObserver { [weak self] in self?.requestBytesArrived() }
        try? context.pipeline.syncOperations.addHandler(observer, position: .first)
        if context.channel.isActive { activate(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !overCap else { return }
        switch unwrapInboundIn(data) {
        case .head:
            readingRequest = true
            awaitingResponses += 1
            requestBegun = false
            arm(.body)
        case .body:
            break
        case .end:
            readingRequest = false
            cancelDeadline()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            awaitingResponses = max(awaitingResponses - 1, 0)
            if awaitingResponses == 0, !readingRequest { arm(requestBegun ? .header : .idle) }
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, shutdownDeadline == nil {
            shutdownDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: Self.amount(ledger.limits.shutdownGrace)) {
                [weak self] in self?.closeAtShutdown()
            }
        }
        if overCap, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - Deadlines and the cap

    private func activate(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        guard ledger.opened() else {
            overCap = true
            refuseOverCap(context)
            return
        }
        arm(.idle)
    }

    private func release() {
        cancelDeadline()
        shutdownDeadline?.cancel()
        shutdownDeadline = nil
        guard counted else { return }
        counted = false
        ledger.closed()
    }

    private func requestBytesArrived() {
        guard !overCap, !readingRequest, !requestBegun else { return }
        requestBegun = true
        if awaitingResponses == 0 { arm(.header) }
    }

    private func arm(_ kind: Deadline) {
        cancelDeadline()
        guard let context else { return }
        let limits = ledger.limits
        let delay = switch kind {
        case .idle: limits.idleTimeout
        case .header: limits.headerTimeout
        case .body: limits.bodyTimeout
        }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: Self.amount(delay)) { [weak self] in
            self?.deadlinePassed(kind)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    private func deadlinePassed(_ kind: Deadline) {
        deadline = nil
        guard let context else { return }
        if !overCap {
            ledger.record { figures in
                switch kind {
                case .idle: figures.idleTimeouts += 1
                case .header: figures.headerTimeouts += 1
                case .body: figures.bodyTimeouts += 1
                }
            }
        }
        context.close(promise: nil)
    }

    private func closeAtShutdown() {
        shutdownDeadline = nil
        guard let context, context.channel.isActive else { return }
        ledger.record { $0.closedAtShutdown += 1 }
        context.close(promise: nil)
    }

    private func refuseOverCap(_ context: ChannelHandlerContext) {
        let text = "too many open connections; try again later\n"
        var head = HTTPResponse(status: .serviceUnavailable)
        head.headerFields[.contentType] = "text/plain;charset=UTF-8"
        head.headerFields[.contentLength] = String(text.utf8.count)
        head.headerFields[.connection] = "close"
        head.headerFields[.retryAfter] = "5"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(string: text))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(mode: .output, promise: nil) }
        arm(.idle)
    }

    private static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Tells the guard that bytes of a request arrived, before the HTTP decoder has a whole head.
final class RequestByteObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let onBytes: () -> Void

    init(onBytes: @escaping () -> Void) {
        self.onBytes = onBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onBytes()
        context.fireChannelRead(data)
    }
}
