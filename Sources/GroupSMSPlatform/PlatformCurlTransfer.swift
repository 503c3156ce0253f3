import Foundation

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
