import Foundation
import GroupSMSModel
import GroupSMSStore
import Hummingbird

/// Answers one status-report request: path rule, capped body read, parse, group-committed store.
struct StatusReportResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let store: JobStore
    let pathToken: String?
    let counters: StatusReportReceiverCounterBox
    let log: @Sendable (String) -> Void

    /// The path reports are accepted on.
    static func reportPath(token: String?) -> String {
        token.map { "/reports/\($0)" } ?? "/reports"
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        guard isReportPath(request.uri.path) else {
            counters.update { $0.notFound += 1 }
            return Self.plain(.notFound, "no status report receiver at this path\n")
        }
        guard request.method == .post else {
            counters.update { $0.notFound += 1 }
            var response = Self.plain(.methodNotAllowed, "status reports are POSTed\n")
            response.headers[.allow] = "POST"
            return response
        }
        let body: [UInt8]
        do {
            body = try await Self.readBody(of: request)
        } catch {
            return refuse(error)
        }
        let parsed: ParsedStatusReports
        do {
            parsed = try StatusReportParser.parse(body: body, contentType: request.headers[.contentType])
        } catch {
            return refuse(error)
        }
        let summary: StatusReportBatchSummary
        do {
            summary = try await store.receiveAndApplyStatusReports(parsed.reports)
        } catch {
            let total = counters.update { $0.storeErrors += 1 }.storeErrors
            if Self.worthLogging(total) {
                log("could not store \(parsed.reports.count) report(s), answered 503 so the platform sends them again: \(error)")
            }
            return Self.plain(.serviceUnavailable, "status reports could not be stored; try again later\n")
        }
        let after = counters.update {
            $0.acceptedRequests += 1
            $0.received += summary.received
            $0.applied += summary.applied
            $0.duplicates += summary.duplicates
            $0.unknown += summary.unknown
            $0.confirmed += summary.confirmed
            $0.delivered += summary.delivered
            $0.failed += summary.failed
        }
        let before = after.unknown - summary.unknown
        if summary.unknown > 0, before < 20 || before / 1000 != after.unknown / 1000 {
            let ids = parsed.reports.prefix(3).map(\.smsMsgId).joined(separator: ", ")
            log("\(summary.unknown) report(s) for a message id no job here has (request with \(ids)); "
                + "counted (\(after.unknown) so far) and kept in case a job records that id later")
        }
        return Response(status: .ok, headers: [.contentType: "application/json;charset=UTF-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: StatusReportParser.successAnswer)))
    }

    /// Token comparison takes the same time wherever the first difference is, so response
    /// timing does not reveal how much of a guessed token was right.
    private func isReportPath(_ path: String) -> Bool {
        guard let pathToken else { return path == "/reports" || path == "/reports/" || path == "/" || path.isEmpty }
        let expected = Array(Self.reportPath(token: pathToken).utf8)
        let given = Array(path.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Reads the body, holding at most `maximumBodyBytes` plus one read: a larger body is refused
    /// as soon as it is known to be too large (from Content-Length, or while reading).
    private static func readBody(of request: Request) async throws -> [UInt8] {
        let limit = StatusReportParser.maximumBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw StatusReportError.bodyTooLarge(bytes: declared, limit: limit)
        }
        var body: [UInt8] = []
        for try await buffer in request.body {
            guard body.count + buffer.readableBytes <= limit else {
                throw StatusReportError.bodyTooLarge(bytes: body.count + buffer.readableBytes, limit: limit)
            }
            body.append(contentsOf: buffer.readableBytesView)
        }
        return body
    }

    private func refuse(_ error: any Error) -> Response {
        let total = counters.update { $0.rejected += 1 }.rejected
        guard let reportError = error as? StatusReportError else {
            if Self.worthLogging(total) { log("could not read a request body: \(error)") }
            return Self.plain(.badRequest, "could not read the request body\n")
        }
        if Self.worthLogging(total) { log("refused a request (\(reportError.httpStatus)): \(reportError)") }
        return Self.plain(HTTPResponse.Status(code: reportError.httpStatus), "\(reportError)\n")
    }

    /// The first 20 events of a kind are logged, then every 1000th, so a flood cannot fill a disk.
    static func worthLogging(_ count: Int) -> Bool {
        count <= 20 || count % 1000 == 0
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain;charset=UTF-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
