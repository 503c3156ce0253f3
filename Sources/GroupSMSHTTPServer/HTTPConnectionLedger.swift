import Synchronization

/// One server's open-connection count and limit figures, shared by every connection's guard
/// (they run on several event loops, hence the lock).
final class HTTPConnectionLedger: Sendable {
    let limits: HTTPServerLimits
    private let figures = Mutex(HTTPServerStatistics())

    init(limits: HTTPServerLimits) {
        self.limits = limits
    }

    var statistics: HTTPServerStatistics { figures.withLock { $0 } }

    /// Counts a new connection; false when it is over the cap (it is counted as refused, and
    /// still as open until it closes).
    func opened() -> Bool {
        figures.withLock { figures in
            figures.openConnections += 1
            guard figures.openConnections <= limits.maximumConnections else {
                figures.refusedOverCap += 1
                return false
            }
            return true
        }
    }

    func closed() {
        figures.withLock { $0.openConnections -= 1 }
    }

    func record(_ change: (inout HTTPServerStatistics) -> Void) {
        figures.withLock { change(&$0) }
    }
}
