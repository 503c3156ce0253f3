internal import CCurl
import Foundation

// The one file of the Platform area that calls libcurl. Everything else talks to the Swift types
// below, which own the C handles, and receives libcurl's result codes as typed values.

/// Process-wide libcurl initialisation, run once before the first handle is made.
enum CurlLibrary {
    private static let initResult = Int(groupsms_curl_global_init_all().rawValue)

    /// The linked libcurl's version and its TLS library, e.g. "7.88.1 (OpenSSL/3.0.15)".
    static var linkedVersion: String {
        // CURLVERSION_NOW is a macro Swift cannot see; the version and TLS fields read here are
        // in every layout since CURLVERSION_FOURTH.
        guard let info = curl_version_info(CURLVERSION_FOURTH)?.pointee else { return "unknown" }
        let version = info.version.map { String(cString: $0) } ?? "unknown"
        return info.ssl_version.map { "\(version) (\(String(cString: $0)))" } ?? version
    }

    static func ensureInitialised() throws(PlatformError) {
        guard initResult == 0 else {
            throw .curlSetup(operation: "curl_global_init", code: initResult,
                             message: String(cString: curl_easy_strerror(CURLcode(UInt32(initResult)))))
        }
    }
}

extension PlatformClient {
    /// The linked libcurl's version and TLS library, for `groupsms --version` and bug reports.
    public static var libcurlVersion: String { CurlLibrary.linkedVersion }
}

/// A libcurl easy-handle result, already sorted into the transport's failure reasons.
struct CurlCompletion {
    /// The raw CURLcode (0 = success).
    let code: Int
    /// libcurl's message for the code, with the handle's detailed error text when it has one.
    let message: String
    /// The failure reason, nil on success.
    let reason: PlatformTransportFailure.Reason?

    init(rawCode: Int, detail: String) {
        let code = CURLcode(UInt32(rawCode))
        self.code = rawCode
        let generic = String(cString: curl_easy_strerror(code))
        message = detail.isEmpty ? generic : "\(generic): \(detail)"
        reason = code == CURLE_OK ? nil : Self.reason(for: code)
    }

    private static func reason(for code: CURLcode) -> PlatformTransportFailure.Reason {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dnsFailure
        case CURLE_COULDNT_CONNECT: return .connectFailure
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_INITFAILED:
            return .tlsFailure
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: return .invalidURL
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_GOT_NOTHING: return .emptyReply
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_SEND_FAIL_REWIND,
             CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3:
            return .connectionLost
        case CURLE_WRITE_ERROR: return .responseTooLarge
        default: return .other
        }
    }
}

/// Owns one CURL easy handle (and its error buffer); freed in deinit.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(PlatformError) {
        try CurlLibrary.ensureInitialised()
        guard let handle = curl_easy_init() else {
            throw .curlSetup(operation: "curl_easy_init", code: -1, message: "no handle (out of memory?)")
        }
        raw = handle
        let size = Int(groupsms_curl_error_size())
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// The handle's detailed error text of the last transfer.
    var errorDetail: String { String(cString: errorBuffer) }

    /// The HTTP status of the last transfer (0 when none arrived).
    var responseCode: Int {
        var code = 0
        _ = groupsms_curl_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// Resets every option and sets this transfer's: a POST whose body is pulled through the
    /// read callback. No seek callback is set on purpose: if libcurl wants to resend a body on a
    /// fresh connection (it does so when a reused connection dies silently), rewinding fails and
    /// the transfer ends as an error instead of silently delivering the request twice.
    func prepare(url: String, method: String, headers: CurlHeaderList, bodySize: Int,
                 context: UnsafeMutableRawPointer, options: PlatformTransportOptions) throws(PlatformError) {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
        try check("CURLOPT_ERRORBUFFER", groupsms_curl_setopt_ptr(raw, CURLOPT_ERRORBUFFER, errorBuffer))
        try check("CURLOPT_URL", groupsms_curl_setopt_string(raw, CURLOPT_URL, url))
        try check("CURLOPT_PROTOCOLS_STR", groupsms_curl_setopt_string(raw, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check("CURLOPT_NOSIGNAL", groupsms_curl_setopt_long(raw, CURLOPT_NOSIGNAL, 1))
        if method == "POST" {
            try check("CURLOPT_POST", groupsms_curl_setopt_long(raw, CURLOPT_POST, 1))
            try check("CURLOPT_POSTFIELDSIZE_LARGE",
                      groupsms_curl_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodySize)))
        } else {
            try check("CURLOPT_CUSTOMREQUEST", groupsms_curl_setopt_string(raw, CURLOPT_CUSTOMREQUEST, method))
        }
        try check("CURLOPT_HTTPHEADER", groupsms_curl_setopt_ptr(raw, CURLOPT_HTTPHEADER, headers.raw))
        try check("CURLOPT_CONNECTTIMEOUT_MS",
                  groupsms_curl_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000)))
        try check("CURLOPT_TIMEOUT_MS", groupsms_curl_setopt_long(raw, CURLOPT_TIMEOUT_MS, Int(options.requestTimeout * 1000)))
        try check("CURLOPT_SSL_VERIFYPEER", groupsms_curl_setopt_long(raw, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1))
        try check("CURLOPT_SSL_VERIFYHOST", groupsms_curl_setopt_long(raw, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2))
        try check("CURLOPT_TCP_KEEPALIVE", groupsms_curl_setopt_long(raw, CURLOPT_TCP_KEEPALIVE, 1))
        try check("CURLOPT_MAXAGE_CONN", groupsms_curl_setopt_long(raw, CURLOPT_MAXAGE_CONN, options.maxConnectionAge))
        try check("CURLOPT_PRIVATE", groupsms_curl_setopt_ptr(raw, CURLOPT_PRIVATE, context))
        try check("CURLOPT_READDATA", groupsms_curl_setopt_ptr(raw, CURLOPT_READDATA, context))
        try check("CURLOPT_WRITEDATA", groupsms_curl_setopt_ptr(raw, CURLOPT_WRITEDATA, context))
        try check("CURLOPT_READFUNCTION", groupsms_curl_setopt_read_function(raw) { buffer, size, count, user in
            guard let buffer, let user else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            return transfer.provideBody(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
        })
        try check("CURLOPT_WRITEFUNCTION", groupsms_curl_setopt_write_function(raw) { data, size, count, user in
            guard let data, let user else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        })
    }

    private func check(_ operation: String, _ code: CURLcode) throws(PlatformError) {
        guard code == CURLE_OK else {
            throw .curlSetup(operation: "curl_easy_setopt(\(operation))", code: Int(code.rawValue),
                             message: String(cString: curl_easy_strerror(code)))
        }
    }
}

/// Owns a curl_slist of request headers; freed in deinit.
final class CurlHeaderList {
    private(set) var raw: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) {
        for line in lines { raw = curl_slist_append(raw, line) }
    }

    deinit { curl_slist_free_all(raw) }
}

/// A call on the multi handle that failed (`curl_multi_perform`, `curl_multi_poll`): libcurl
/// calls every such code fatal for the handle (out of memory, bad handle, internal error,
/// unrecoverable poll), so the transport stops instead of calling it again and again.
struct CurlMultiFailure: Error, CustomStringConvertible {
    /// The libcurl function that failed.
    let operation: String
    /// Its CURLMcode.
    let code: Int
    /// libcurl's text for the code.
    let message: String

    var description: String { "\(operation) returned \(code) (\(message))" }
}

/// Owns the CURLM multi handle; only the transport's driver thread uses it (except `wakeup`).
///
/// @unchecked: the raw handle is a pointer, which Swift cannot check. The driver thread is its
/// only user; `curl_multi_wakeup`, the one call made from other threads, is documented by
/// libcurl as safe to call from any thread.
final class CurlMultiHandle: CurlMulti, @unchecked Sendable {
    private let raw: UnsafeMutableRawPointer

    init(maxConnectionsPerHost: Int) throws(PlatformError) {
        try CurlLibrary.ensureInitialised()
        guard let multi = curl_multi_init() else {
            throw .curlSetup(operation: "curl_multi_init", code: -1, message: "no handle (out of memory?)")
        }
        raw = multi
        let limits = [(CURLMOPT_MAX_HOST_CONNECTIONS, "CURLMOPT_MAX_HOST_CONNECTIONS", maxConnectionsPerHost),
                      (CURLMOPT_MAXCONNECTS, "CURLMOPT_MAXCONNECTS", max(4, maxConnectionsPerHost * 2))]
        for (option, name, value) in limits {
            let code = groupsms_curl_multi_setopt_long(raw, option, value)
            guard code == CURLM_OK else {
                curl_multi_cleanup(raw)
                throw .curlSetup(operation: "curl_multi_setopt(\(name))", code: Int(code.rawValue),
                                 message: String(cString: curl_multi_strerror(code)))
            }
        }
    }

    deinit { curl_multi_cleanup(raw) }

    func add(_ easy: CurlEasyHandle) throws(PlatformError) {
        let code = curl_multi_add_handle(raw, easy.raw)
        guard code == CURLM_OK else {
            throw .curlSetup(operation: "curl_multi_add_handle", code: Int(code.rawValue),
                             message: String(cString: curl_multi_strerror(code)))
        }
    }

    func remove(_ easy: CurlEasyHandle) -> Bool {
        curl_multi_remove_handle(raw, easy.raw) == CURLM_OK
    }

    func perform() throws(CurlMultiFailure) {
        var running: Int32 = 0
        try check("curl_multi_perform", curl_multi_perform(raw, &running))
    }

    func poll(timeoutMs: Int32) throws(CurlMultiFailure) {
        try check("curl_multi_poll", curl_multi_poll(raw, nil, 0, timeoutMs, nil))
    }

    func wakeup() {
        // A failed wakeup only delays the driver until its poll times out (at most a second).
        _ = curl_multi_wakeup(raw)
    }

    func nextFinished() -> (easy: UnsafeMutableRawPointer, rawCode: Int)? {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(raw, &remaining) {
            if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                return (easy, Int(groupsms_curl_msg_result(message).rawValue))
            }
        }
        return nil
    }

    private func check(_ operation: String, _ code: CURLMcode) throws(CurlMultiFailure) {
        // CURLM_CALL_MULTI_PERFORM is not a failure (and libcurl has not returned it since 7.20).
        guard code != CURLM_OK, code != CURLM_CALL_MULTI_PERFORM else { return }
        throw CurlMultiFailure(operation: operation, code: Int(code.rawValue),
                               message: String(cString: curl_multi_strerror(code)))
    }
}
