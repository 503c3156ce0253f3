import Foundation
import GroupSMSModel
import GroupSMSStore

/// A counting gate on requests in flight for one process, shared like the `SendPacer`.
///
/// A runner takes a slot BEFORE asking the pacer, and gives it back when the answer is in.
/// With at most as many slots as the client has connections, a request granted by the pacer
/// never waits for a connection inside libcurl, so the instants requests reach the platform
/// stay as far apart as the pacer made them (several jobs at once included).
public actor SendSlots {
    /// Most requests in flight at once.
    public nonisolated let capacity: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A gate of `capacity` slots (at least 1); match the client's connections per host.
    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// Waits for a free slot and takes it.
    public func acquire() async {
        if inUse < capacity {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Gives a slot back, handing it straight to the longest waiter.
    public func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

extension SendPacer {
    /// The pacer for one account: 500 numbers per `PaceBudget.platformWindow`, starts reserved
    /// ahead of each claim by the store's `claimLead` (room for its commit and hand-over).
    public static func forPlatform(rate: Int = JobSettings.maximumRate, store: any JobRecordStoring,
                                   clock: any WallClock) -> SendPacer {
        SendPacer(rate: rate, window: PaceBudget.platformWindow, lead: store.claimLead, clock: clock)
    }
}
