import Foundation
import GroupSMSModel
import GroupSMSStore

/// The store operations `PostgresJobStore` answers like `JobStore` (see `JobStoring`).
extension PostgresJobStore: JobRecordStoring {
    /// The local data dir given in the options.
    public nonisolated var dataDirectory: DataDirectory { options.dataDirectory }

    /// Whether this process still holds `runner`'s lease on the job with a margin to spare: a
    /// request takes a moment to leave, and another daemon takes over once the lease expired.
    public func leaseAllowsSending(_ id: JobID, runner: RunnerLease) -> Bool {
        guard let held = heldLeases[id], held.runner == runner else { return false }
        return clock.now().addingTimeInterval(Self.sendingMargin) < held.expiresAt
    }

    /// How much of its lease a runner must have left for a request to leave.
    static let sendingMargin: TimeInterval = 2
}
