import Synchronization

/// A part inflated ahead of its parser by another task: a bounded queue of chunks from the task
/// that inflates (`nextBuffer`, `publish`, `finish`) to the parser that reads (`read(into:)`).
///
/// The sheet scan of `--variables columns` uses it: a row there holds three or more cells, and
/// inflating and parsing the sheet on one core is what an import waits for; with the inflating
/// on the other core the two overlap. At most `capacity` chunks wait, so memory stays bounded
/// however far the inflater runs ahead. Reading never waits: `isReady` says whether a read
/// finds bytes (or the end), and the reading task awaits `waitUntilReadable()` when it does not.
final class XLSXPartPrefetch: XMLByteSource, Sendable {
    /// Chunks queued before the inflater waits (512 KiB).
    static let capacity = 8
    /// Bytes per chunk: what the parser takes per step.
    static let chunkBytes = XMLPushParser.chunkBytes

    private struct Chunk {
        var bytes: [UInt8]
        var count: Int
    }

    private struct State {
        var ready: [Chunk] = []
        var head = 0
        /// Bytes of `ready[head]` already read.
        var offset = 0
        var spare: [[UInt8]] = []
        var ended = false
        var stopped = false
        var failure: XLSXError?
        var storedName: String?
        var reader: CheckedContinuation<Void, Never>?
        var writer: CheckedContinuation<Void, Never>?

        var queued: Int { ready.count - head }
    }

    private let state = Mutex(State())

    init() {}

    // MARK: - The inflating side

    /// A buffer of `chunkBytes` to inflate into, waiting while `capacity` chunks are queued;
    /// nil once the reader has stopped.
    func nextBuffer() async -> [UInt8]? {
        while true {
            let (stopped, spare, full) = state.withLock { state in
                (state.stopped, state.queued < Self.capacity ? state.spare.popLast() : nil, state.queued >= Self.capacity)
            }
            if stopped { return nil }
            if !full { return spare ?? [UInt8](repeating: 0, count: Self.chunkBytes) }
            await withCheckedContinuation { (waiting: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard !state.stopped, state.queued >= Self.capacity else { return true }
                    state.writer = waiting
                    return false
                }
                if now { waiting.resume() }
            }
        }
    }

    /// Records the part's name as stored in the package, for the parser's messages.
    func setStoredName(_ name: String) {
        state.withLock { $0.storedName = name }
    }

    /// Queues the first `count` bytes of `buffer` (from `nextBuffer`).
    func publish(_ buffer: [UInt8], count: Int) {
        let reader = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.stopped else { return nil }
            state.ready.append(Chunk(bytes: buffer, count: count))
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume()
    }

    /// Marks the end of the part: reads after the queued bytes return 0, or -1 with `failure`.
    func finish(failure: XLSXError?) {
        let reader = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.ended = true
            state.failure = failure
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume()
    }

    // MARK: - The reading side

    /// The part's name as stored, once the inflater has opened it.
    var storedName: String? { state.withLock { $0.storedName } }

    /// Whether `read` finds bytes or the end now.
    var isReady: Bool { state.withLock { $0.queued > 0 || $0.ended } }

    /// Why the part could not be read, once it ended so.
    var failure: XLSXError? { state.withLock { $0.failure } }

    /// Returns once `read` would find bytes or the end.
    func waitUntilReadable() async {
        await withCheckedContinuation { (waiting: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                guard state.queued == 0, !state.ended else { return true }
                state.reader = waiting
                return false
            }
            if now { waiting.resume() }
        }
    }

    /// Copies queued bytes into `buffer`: the count, 0 at the end, -1 on failure. Call it only
    /// when `isReady`; a read that finds nothing queued before the end is a misuse, refused.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let (count, writer) = state.withLock { state -> (Int, CheckedContinuation<Void, Never>?) in
            guard state.queued > 0 else {
                precondition(state.ended, "read from a prefetched part before its bytes arrived")
                return (state.failure == nil ? 0 : -1, nil)
            }
            let chunk = state.head
            let count = min(buffer.count, state.ready[chunk].count - state.offset)
            state.ready[chunk].bytes.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + state.offset, byteCount: count)
            }
            state.offset += count
            guard state.offset == state.ready[chunk].count else { return (count, nil) }
            // The chunk is used up: its buffer goes back to the inflater (moved, so it stays unique).
            state.spare.append(state.ready[chunk].bytes)
            state.ready[chunk].bytes = []
            state.head += 1
            state.offset = 0
            if state.head == state.ready.count {
                state.ready.removeAll(keepingCapacity: true)
                state.head = 0
            }
            defer { state.writer = nil }
            return (count, state.writer)
        }
        writer?.resume()
        return count
    }

    /// Stops the inflater (the reader needs no more bytes) and drops what is queued.
    func stop() {
        let writer = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.stopped = true
            state.ready.removeAll()
            state.head = 0
            state.offset = 0
            defer { state.writer = nil }
            return state.writer
        }
        writer?.resume()
    }
}
