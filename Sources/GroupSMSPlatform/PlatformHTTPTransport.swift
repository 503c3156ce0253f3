/// An HTTP client over libcurl's multi interface: many requests in flight on one thread,
/// connections kept alive between requests, TLS verified unless `insecure` is set.
///
/// Every request ends in one of three classes (`PlatformHTTPExchange`): answered, notSent
/// (provably never reached the server) or ambiguous (it may have). libcurl's silent resend of
/// a request on a fresh connection is disabled, so a request is never delivered twice by the
/// transport itself.
public final class PlatformHTTPTransport: Sendable {
    /// The options this transport was made with.
    public let options: PlatformTransportOptions
    private let driver: CurlMultiDriver

    /// Starts the transport's driver thread.
    public init(options: PlatformTransportOptions = PlatformTransportOptions()) throws(PlatformError) {
        self.options = options
        driver = try CurlMultiDriver(options: options)
    }

    deinit { driver.stop() }

    /// Sends `request` and waits for its end. Cancelling the waiting task aborts the transfer
    /// (classified like any other failure: notSent before the body left, ambiguous after).
    public func perform(_ request: PlatformHTTPRequest) async -> PlatformHTTPExchange {
        let id = driver.makeID()
        let driver = self.driver
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                driver.submit(request, id: id, continuation: continuation)
                if Task.isCancelled { driver.cancel(id: id) }
            }
        } onCancel: {
            driver.cancel(id: id)
        }
    }

    /// Stops the driver: requests still running end as notSent/ambiguous with reason `shutDown`,
    /// later ones are refused the same way. Safe to call more than once.
    public func shutdown() {
        driver.stop()
    }
}
