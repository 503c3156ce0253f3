import Foundation
import GroupSMSHTTPServer
import Hummingbird

/// A status-report receiver for the simulator's tests: keeps every post; the first `failFirst`
/// are answered 500.
final class SimulatorTestReceiver: Sendable {
    struct Post: Sendable {
        let contentType: String
        let body: String

        /// The fields of a single (form) report, decoded with Foundation.
        var form: [String: String] {
            var fields: [String: String] = [:]
            for part in body.split(separator: "&") {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                fields[pair[0]] = pair.count > 1 ? pair[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
            }
            return fields
        }

        /// The entries of a batch (JSON) report.
        var batch: [[String: Any]] {
            let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return object?["statusReportList"] as? [[String: Any]] ?? []
        }
    }

    actor Inbox {
        var posts: [Post] = []
        var failuresLeft: Int
        init(failFirst: Int) { failuresLeft = failFirst }

        func take(_ post: Post) -> Bool {
            posts.append(post)
            guard failuresLeft > 0 else { return true }
            failuresLeft -= 1
            return false
        }
    }

    let inbox: Inbox
    let url: String
    private let server: HTTPServerHost

    private init(inbox: Inbox, url: String, server: HTTPServerHost) {
        self.inbox = inbox
        self.url = url
        self.server = server
    }

    static func start(failFirst: Int = 0) async throws -> SimulatorTestReceiver {
        let inbox = Inbox(failFirst: failFirst)
        let router = Router()
        router.post("/report") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let ok = await inbox.take(Post(contentType: request.headers[.contentType] ?? "", body: body))
            return Response(status: ok ? .ok : .internalServerError, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"returnCode":0,"returnCodeDesc":"Success"}"#)))
        }
        let server = try await HTTPServerHost.start(responder: router.buildResponder())
        return SimulatorTestReceiver(inbox: inbox, url: "http://127.0.0.1:\(server.port)/report", server: server)
    }

    /// Waits (up to 10 s of real time) until `count` posts arrived, and returns them all.
    func posts(atLeast count: Int) async throws -> [Post] {
        try await SimulatorTestKit.waitUntil("\(count) report posts arrived") { await inbox.posts.count >= count }
        return await inbox.posts
    }

    func shutdown() async {
        await server.shutdown()
    }

    /// Runs `body` with a fresh receiver and always shuts it down.
    static func with<T>(failFirst: Int = 0, _ body: (SimulatorTestReceiver) async throws -> T) async throws -> T {
        let receiver = try await start(failFirst: failFirst)
        do {
            let result = try await body(receiver)
            await receiver.shutdown()
            return result
        } catch {
            await receiver.shutdown()
            throw error
        }
    }
}
