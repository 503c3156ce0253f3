import Dispatch

/// Runs one `JobStore` actor on its own serial dispatch queue.
///
/// SQLite calls block (disk writes, fsync, busy waits of up to the busy timeout); on the
/// default executor they would hold one of the few cooperative threads the whole process shares.
final class StoreExecutor: SerialExecutor {
    // Sendable (through SerialExecutor) without @unchecked: the only state is a DispatchQueue.
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { unownedJob.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
