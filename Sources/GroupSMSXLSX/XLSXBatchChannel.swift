/// The hand-over of cell batches from the sheet scan to the task that resolves them.
typealias XLSXCellBatchChannel = XLSXBatchChannel<XLSXCellBatch>

/// A bounded hand-over of batches from one sender to one receiver: cell batches from the sheet
/// scan, row batches from the row assembly (`XLSXRowBatch`).
///
/// The sender waits while `capacity` batches are queued, so a sender that runs ahead of its
/// receiver holds at most that many batches (each capped by its own limits).
actor XLSXBatchChannel<Batch: Sendable> {
    /// Batches queued before the sender waits. The default leaves room for a whole
    /// 50,000-row sheet, so the scan need not wait while the shared strings load.
    let capacity: Int

    init(capacity: Int = 32) {
        self.capacity = capacity
    }

    private var queue: [Batch] = []
    private var head = 0
    private var finished = false
    private var receiverGone = false
    private var waitingReceiver: CheckedContinuation<Batch?, Never>?
    private var waitingSender: CheckedContinuation<Void, Never>?

    /// Queues `batch`, waiting while the queue is full; false once the receiver has stopped.
    func send(_ batch: Batch) async -> Bool {
        guard !receiverGone else { return false }
        if let receiver = waitingReceiver {
            waitingReceiver = nil
            receiver.resume(returning: batch)
            return true
        }
        queue.append(batch)
        if queue.count - head >= capacity {
            await withCheckedContinuation { waitingSender = $0 }
        }
        return !receiverGone
    }

    /// Marks the end of the batches.
    func finish() {
        finished = true
        waitingReceiver?.resume(returning: nil)
        waitingReceiver = nil
    }

    /// The next batch, waiting for one; nil after `finish` once the queue is empty.
    func receive() async -> Batch? {
        if head < queue.count {
            let batch = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            waitingSender?.resume()
            waitingSender = nil
            return batch
        }
        if finished { return nil }
        return await withCheckedContinuation { waitingReceiver = $0 }
    }

    /// Drops what is queued and lets the sender stop: the receiver has given up.
    func stopReceiving() {
        receiverGone = true
        queue.removeAll()
        head = 0
        waitingSender?.resume()
        waitingSender = nil
    }
}
