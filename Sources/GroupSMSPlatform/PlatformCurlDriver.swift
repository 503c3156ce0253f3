import Foundation
import Synchronization

/// What the driver needs of a libcurl multi handle; `CurlMultiHandle` is the real one, and tests
/// wrap it to make `perform` or `poll` fail.
protocol CurlMulti: AnyObject, Sendable {
    /// Adds a prepared easy handle.
    func add(_ easy: CurlEasyHandle) throws(PlatformError)
    /// Removes an easy handle; false when libcurl refused (the handle is then not reused).
    func remove(_ easy: CurlEasyHandle) -> Bool
    /// Drives every transfer as far as it can go without blocking.
    func perform() throws(CurlMultiFailure)
    /// Waits for socket activity, libcurl's next timeout, `wakeup()` or `timeoutMs`.
    func poll(timeoutMs: Int32) throws(CurlMultiFailure)
    /// Interrupts `poll` from any thread.
    func wakeup()
    /// The next finished transfer: its easy handle's address and its result.
    func nextFinished() -> (easy: UnsafeMutableRawPointer, rawCode: Int)?
}

/// Runs every transfer of a transport on one thread around `curl_multi_poll`.
///
/// Callers hand requests over through a locked queue and `curl_multi_wakeup`; the thread adds
/// them to the multi handle, drives them, and resumes each caller's continuation when its
/// transfer ends. Easy handles are reused from a small pool; connections stay in the multi
/// handle's cache, so keep-alive spans requests. When the multi handle fails, every transfer
/// ends and the driver stops (`fail(because:)`), so a broken handle never becomes a busy loop.
///
/// @unchecked: `active` and `idleHandles` are mutable and unlocked on purpose; only the driver
/// thread touches them. Everything other threads reach is behind `shared`'s mutex or is
/// `multi.wakeup()`, which libcurl allows from any thread.
final class CurlMultiDriver: @unchecked Sendable {
    private struct Submission {
        let id: UInt64
        let request: PlatformHTTPRequest
        let continuation: CheckedContinuation<PlatformHTTPExchange, Never>
    }

    private struct Shared {
        var nextID: UInt64 = 0
        var pending: [Submission] = []
        var live: Set<UInt64> = []
        var cancelled: Set<UInt64> = []
        var stopping = false
        /// Why the driver stopped by itself (its multi handle failed); nil for `stop()`.
        var brokenBy: CurlMultiFailure?
    }

    private let shared = Mutex(Shared())
    private let multi: any CurlMulti
    private let options: PlatformTransportOptions
    // Touched only by the driver thread.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [CurlEasyHandle] = []

    /// Starts the driver thread on `multi`, or on a new multi handle made for `options`.
    init(options: PlatformTransportOptions, multi: (any CurlMulti)? = nil) throws(PlatformError) {
        self.options = options
        if let multi {
            self.multi = multi
        } else {
            self.multi = try CurlMultiHandle(maxConnectionsPerHost: options.maxConnectionsPerHost)
        }
        let thread = Thread { [self] in run() }
        thread.name = "groupsms-curl"
        thread.start()
    }

    func makeID() -> UInt64 {
        shared.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }

    func submit(_ request: PlatformHTTPRequest, id: UInt64, continuation: CheckedContinuation<PlatformHTTPExchange, Never>) {
        let refusal = shared.withLock { state -> String? in
            guard !state.stopping else { return Self.stoppedMessage(state.brokenBy) }
            state.pending.append(Submission(id: id, request: request, continuation: continuation))
            state.live.insert(id)
            return nil
        }
        if let refusal {
            continuation.resume(returning: .notSent(failure(.shutDown, request.url, refusal)))
        } else {
            multi.wakeup()
        }
    }

    func cancel(id: UInt64) {
        let known = shared.withLock { state -> Bool in
            guard state.live.contains(id) else { return false }
            state.cancelled.insert(id)
            return true
        }
        if known { multi.wakeup() }
    }

    func stop() {
        shared.withLock { $0.stopping = true }
        multi.wakeup()
    }

    private func run() {
        while true {
            let (batch, cancels, stopping) = shared.withLock { state in
                defer {
                    state.pending.removeAll(keepingCapacity: true)
                    state.cancelled.removeAll()
                }
                return (state.pending, state.cancelled, state.stopping)
            }
            if stopping {
                shutDown(unstarted: batch)
                return
            }
            for transfer in active.values where cancels.contains(transfer.id) {
                end(transfer, failure: failure(.cancelled, transfer.request.url, "the waiting task was cancelled"))
            }
            for submission in batch {
                if cancels.contains(submission.id) {
                    finish(submission.id, submission.continuation,
                           .notSent(failure(.cancelled, submission.request.url, "cancelled before sending")))
                } else {
                    start(submission)
                }
            }
            do throws(CurlMultiFailure) {
                try multi.perform()
                settleFinished()
                try multi.poll(timeoutMs: 1000)
            } catch {
                fail(because: error)
                return
            }
        }
    }

    /// Resumes the caller of every transfer libcurl reports finished.
    private func settleFinished() {
        while let finished = multi.nextFinished() {
            guard let transfer = active[finished.easy], let handle = transfer.handle else { continue }
            let completion = CurlCompletion(rawCode: finished.rawCode, detail: handle.errorDetail)
            if let reason = completion.reason {
                end(transfer, failure: PlatformTransportFailure(reason: reason, curlCode: completion.code,
                                                                 message: completion.message, url: transfer.request.url))
            } else {
                let response = PlatformHTTPResponse(status: handle.responseCode, body: transfer.response)
                detach(transfer)
                finish(transfer.id, transfer.continuation, .answered(response))
            }
        }
    }

    /// The multi handle failed: every running transfer ends (ambiguous once its body started
    /// leaving, else not sent), waiting submissions are refused, and the driver stops; later
    /// requests are refused as not sent, naming the failure.
    private func fail(because failure: CurlMultiFailure) {
        let unstarted = shared.withLock { state -> [Submission] in
            state.stopping = true
            state.brokenBy = failure
            defer { state.pending.removeAll() }
            return state.pending
        }
        let message = Self.stoppedMessage(failure)
        for transfer in Array(active.values) {
            end(transfer, failure: PlatformTransportFailure(reason: .other, curlCode: 0, message: message,
                                                             url: transfer.request.url))
        }
        for submission in unstarted {
            finish(submission.id, submission.continuation, .notSent(self.failure(.shutDown, submission.request.url, message)))
        }
        idleHandles.removeAll()
    }

    /// Why a stopped driver refuses a request.
    private static func stoppedMessage(_ brokenBy: CurlMultiFailure?) -> String {
        guard let brokenBy else { return "the transport was shut down" }
        return "the transport stopped because \(brokenBy); create a new client to send again"
    }

    private func start(_ submission: Submission) {
        let transfer = CurlTransfer(id: submission.id, request: submission.request, continuation: submission.continuation,
                                    maxResponseBytes: options.maxResponseBytes)
        do throws(PlatformError) {
            let handle: CurlEasyHandle
            if let idle = idleHandles.popLast() { handle = idle } else { handle = try CurlEasyHandle() }
            transfer.handle = handle
            try handle.prepare(url: transfer.request.url, method: transfer.request.method, headers: transfer.headers,
                               bodySize: transfer.request.body.count,
                               context: Unmanaged.passUnretained(transfer).toOpaque(), options: options)
            try multi.add(handle)
            active[handle.raw] = transfer
        } catch {
            transfer.handle.map { idleHandles.append($0) }
            finish(transfer.id, transfer.continuation,
                   .notSent(failure(.setupFailure, transfer.request.url, error.description)))
        }
    }

    /// Ends a running transfer with a failure, classified by whether its body started leaving.
    private func end(_ transfer: CurlTransfer, failure: PlatformTransportFailure) {
        detach(transfer)
        let exchange: PlatformHTTPExchange = transfer.mayHaveBeenSent(reason: failure.reason)
            ? .ambiguous(failure) : .notSent(failure)
        finish(transfer.id, transfer.continuation, exchange)
    }

    private func detach(_ transfer: CurlTransfer) {
        guard let handle = transfer.handle else { return }
        let removed = multi.remove(handle)
        active[handle.raw] = nil
        transfer.handle = nil
        // A handle libcurl would not remove may still be attached: drop it rather than reuse it.
        if removed, idleHandles.count < options.maxConnectionsPerHost { idleHandles.append(handle) }
    }

    private func finish(_ id: UInt64, _ continuation: CheckedContinuation<PlatformHTTPExchange, Never>,
                        _ exchange: PlatformHTTPExchange) {
        shared.withLock { state in
            state.live.remove(id)
            state.cancelled.remove(id)
        }
        continuation.resume(returning: exchange)
    }

    private func shutDown(unstarted: [Submission]) {
        for transfer in Array(active.values) {
            end(transfer, failure: failure(.shutDown, transfer.request.url, "the transport was shut down"))
        }
        for submission in unstarted {
            finish(submission.id, submission.continuation,
                   .notSent(failure(.shutDown, submission.request.url, "the transport was shut down")))
        }
        idleHandles.removeAll()
    }

    private func failure(_ reason: PlatformTransportFailure.Reason, _ url: String, _ message: String) -> PlatformTransportFailure {
        PlatformTransportFailure(reason: reason, curlCode: 0, message: message, url: url)
    }
}
