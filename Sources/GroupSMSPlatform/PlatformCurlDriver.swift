import Foundation
import Synchronization

/// One request in flight on the driver thread, the context libcurl's callbacks receive.
final class CurlTransfer {
    let id: UInt64
    let request: PlatformHTTPRequest
    let headers: CurlHeaderList
    let continuation: CheckedContinuation<PlatformHTTPExchange, Never>
    private let maxResponseBytes: Int
    var handle: CurlEasyHandle?
    /// Body bytes handed to libcurl so far: above zero, the request may have reached the server.
    private(set) var bodyBytesHanded = 0
    private(set) var response: [UInt8] = []

    init(id: UInt64, request: PlatformHTTPRequest, continuation: CheckedContinuation<PlatformHTTPExchange, Never>,
         maxResponseBytes: Int) {
        self.id = id
        self.request = request
        self.continuation = continuation
        self.maxResponseBytes = maxResponseBytes
        let lines = request.headers.map { "\($0.name): \($0.value)" }
        // An empty Expect header stops libcurl's 100-continue round trip on larger bodies.
        headers = CurlHeaderList(lines + ["Expect:"])
    }

    /// Read callback: copies the next part of the body into libcurl's buffer.
    func provideBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, request.body.count - bodyBytesHanded)
        guard count > 0, let target = buffer.baseAddress else { return 0 }
        request.body.withUnsafeBytes { source in
            target.copyMemory(from: source.baseAddress! + bodyBytesHanded, byteCount: count)
        }
        bodyBytesHanded += count
        return count
    }

    /// Write callback: appends response bytes; false (abort) past the size limit.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard response.count + bytes.count <= maxResponseBytes else { return false }
        response.append(contentsOf: bytes)
        return true
    }

    /// Whether any part of the request may have reached the server.
    func mayHaveBeenSent(reason: PlatformTransportFailure.Reason) -> Bool {
        if bodyBytesHanded > 0 { return true }
        guard request.body.isEmpty else { return false }
        return ![.dnsFailure, .connectFailure, .tlsFailure, .invalidURL, .setupFailure].contains(reason)
    }
}

/// Runs every transfer of a transport on one thread around `curl_multi_poll`.
///
/// Callers hand requests over through a locked queue and `curl_multi_wakeup`; the thread adds
/// them to the multi handle, drives them, and resumes each caller's continuation when its
/// transfer ends. Easy handles are reused from a small pool; connections stay in the multi
/// handle's cache, so keep-alive spans requests.
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
    }

    private let shared = Mutex(Shared())
    private let multi: CurlMultiHandle
    private let options: PlatformTransportOptions
    // Touched only by the driver thread.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [CurlEasyHandle] = []

    init(options: PlatformTransportOptions) throws(PlatformError) {
        self.options = options
        multi = try CurlMultiHandle(maxConnectionsPerHost: options.maxConnectionsPerHost)
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
        let accepted = shared.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.pending.append(Submission(id: id, request: request, continuation: continuation))
            state.live.insert(id)
            return true
        }
        if accepted {
            multi.wakeup()
        } else {
            continuation.resume(returning: .notSent(failure(.shutDown, request.url, "the transport was shut down")))
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
            multi.perform()
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
            multi.poll(timeoutMs: 1000)
        }
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
        multi.remove(handle)
        active[handle.raw] = nil
        transfer.handle = nil
        if idleHandles.count < options.maxConnectionsPerHost { idleHandles.append(handle) }
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
