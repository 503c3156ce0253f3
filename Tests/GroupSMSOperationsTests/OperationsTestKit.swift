import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GroupSMSTestSupport

/// An HTTP answer as a test reads it.
struct HTTPAnswer {
    var status: Int
    var contentType: String?
    var body: String
}

enum OperationsHTTP {
    /// `method` on `url` over loopback; fails after 10 s.
    static func request(_ url: String, method: String = "GET") async throws -> HTTPAnswer {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
        request.httpMethod = method
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return HTTPAnswer(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
                          body: String(decoding: data, as: UTF8.self))
    }
}

/// Polls `condition` every 10 ms for at most `seconds` of real time; throws naming `what`.
func waitUntil(seconds: Double = 10, _ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw OperationsTestFailure("timed out waiting until \(what)") }
        try await Task.sleep(nanoseconds: 10_000_000)
    }
}

struct OperationsTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
