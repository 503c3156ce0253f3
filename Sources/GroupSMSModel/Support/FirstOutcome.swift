import Foundation
import Synchronization

/// The first of two outcomes: some work's, or a stand-in once a time limit has passed.
///
/// Unlike a task group, it returns at the limit even when the work ignores cancellation (a
/// query on a connection whose server vanished without closing it): the loser is cancelled and
/// left to finish in the background, and nothing waits for it.
public enum FirstOutcome<Value: Sendable> {
    /// `work`'s value, or `timeout` when `limit` passes first.
    public static func race(limit: Duration, timeout: Value, _ work: @escaping @Sendable () async -> Value) async -> Value {
        let slot = Mutex<CheckedContinuation<Value, Never>?>(nil)
        let tasks = Mutex<[Task<Void, Never>]>([])
        let value = await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
            slot.withLock { $0 = continuation }
            let resume: @Sendable (Value) -> Void = { value in
                slot.withLock { pending in
                    pending?.resume(returning: value)
                    pending = nil
                }
            }
            let worker = Task { resume(await work()) }
            let timer = Task {
                try? await Task.sleep(for: limit)
                resume(timeout)
            }
            tasks.withLock { $0 = [worker, timer] }
        }
        tasks.withLock { $0.forEach { $0.cancel() } }
        return value
    }
}
