import Dispatch

/// Runs one actor whose methods block (SQLite calls, fsync, file I/O) on its own serial dispatch
/// queue: on the default executor they would hold one of the few cooperative threads the whole
/// process shares.
public final class BlockingWorkExecutor: SerialExecutor {
    // Sendable (through SerialExecutor) without @unchecked: the only state is a DispatchQueue.
    private let queue: DispatchQueue

    /// An executor on a new serial queue named `label`.
    public init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { unownedJob.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
