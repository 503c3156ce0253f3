import Hummingbird

/// Request context that can drop the connection a request came on (the dropped-connection fault).
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the request's connection without an answer.
    let dropConnection: @Sendable () -> Void

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        let channel = source.channel
        dropConnection = { channel.close(promise: nil) }
    }
}
