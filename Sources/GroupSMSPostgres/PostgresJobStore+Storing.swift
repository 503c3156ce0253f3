import Foundation
import GroupSMSModel
import GroupSMSStore

/// The store operations `PostgresJobStore` answers like `JobStore` (see `JobStoring`).
extension PostgresJobStore: JobRecordStoring {
    /// The local data dir given in the options.
    public nonisolated var dataDirectory: DataDirectory { options.dataDirectory }

    /// 100 ms: a claim takes several round trips to the server (20-55 ms on loopback, on a
    /// 2-core machine), and one that commits after its reserved start moves every later start.
    public nonisolated var claimLead: TimeInterval { 0.1 }

    /// Whether this process still holds `runner`'s lease on the job with a margin to spare: a
    /// request takes a moment to leave, and another daemon takes over once the lease expired.
    public nonisolated func leaseAllowsSending(_ id: JobID, runner: RunnerLease) -> Bool {
        guard let held = heldLeases.withLock({ $0[id] }), held.runner == runner else { return false }
        return clock.now().addingTimeInterval(Self.sendingMargin) < held.expiresAt
    }

    /// How much of its lease a runner must have left for a request to leave.
    static let sendingMargin: TimeInterval = 2
}
