import Foundation
import GroupSMSModel
import GroupSMSStore
import Hummingbird

/// Answers one status-report request: path rule, capped body read, parse, then the well-formed
/// reports to the store (or its journal) and the malformed entries to the data dir's
/// malformed-report files.
///
/// Every request whose body could be read is answered 200 with `successAnswer`: the platform
/// sends each report once and does not look at the answer, so refusing a body would change
/// nothing for it and could only lose what the body held.
struct StatusReportResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let intake: StatusReportIntake
    let archive: MalformedReportArchive
    let clock: any WallClock
    let pathToken: String?
    let counters: StatusReportReceiverCounterBox
    let operations: StatusReportReceiverOperations
    let log: @Sendable (String) -> Void

    /// The path reports are accepted on.
    static func reportPath(token: String?) -> String {
        token.map { "/reports/\($0)" } ?? "/reports"
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        if let routes = operations.routes, let response = await routes.response(to: request) { return response }
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
        let parsed: ParsedStatusReports
        do {
            let body = try await Self.readBody(of: request)
            parsed = try StatusReportParser.parse(body: body, contentType: request.headers[.contentType])
        } catch {
            return refuse(error)
        }
        let now = clock.now()
        if !parsed.malformed.isEmpty { keepMalformed(parsed, at: now) }
        if let unavailable = await take(parsed, at: now) { return unavailable }
        counters.update {
            $0.acceptedRequests += 1
            $0.received += parsed.reports.count
        }
        operations.received(parsed.reports)
        return Response(status: .ok, headers: [.contentType: "application/json;charset=UTF-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: StatusReportParser.successAnswer)))
    }

    /// Hands the request's reports (and its malformed count) to the store or the journal; a
    /// 503 answer when neither could take them.
    private func take(_ parsed: ParsedStatusReports, at time: Date) async -> Response? {
        guard !parsed.reports.isEmpty || !parsed.malformed.isEmpty else { return nil }
        switch await intake.take(parsed.reports, malformed: parsed.malformed.count, at: time) {
        case .applied(let summary):
            noteApplied(summary, of: parsed.reports)
        case .journaled:
            break
        case .lost(let error):
            let total = counters.update { $0.lost += parsed.reports.count }.lost
            if Self.worthLogging(total, adding: parsed.reports.count) {
                log("could neither store nor journal \(parsed.reports.count) report(s), answered 503 (\(total) lost so "
                    + "far): \(error)")
            }
            return Self.plain(.serviceUnavailable, "status reports could not be kept; try again later\n")
        }
        return nil
    }

    private func keepMalformed(_ parsed: ParsedStatusReports, at time: Date) {
        let total = counters.update { $0.malformed += parsed.malformed.count }.malformed
        var place = "kept in \(archive.path(at: time))"
        do {
            let kept = try archive.keep(parsed.malformed, format: parsed.format, at: time)
            if kept < parsed.malformed.count { place += " (\(parsed.malformed.count - kept) not kept: the day's file is full)" }
        } catch {
            place = "not kept: \(error)"
        }
        guard Self.worthLogging(total, adding: parsed.malformed.count) else { return }
        log("\(parsed.malformed.count) malformed report entr\(parsed.malformed.count == 1 ? "y" : "ies") in a request "
            + "(\(parsed.malformed[0].error)); counted (\(total) so far), \(place)")
    }

    private func noteApplied(_ summary: StatusReportBatchSummary, of reports: [StatusReport]) {
        let after = counters.update { $0.addApplied(summary) }
        if summary.unknown > 0, Self.worthLogging(after.unknown, adding: summary.unknown) {
            let ids = reports.prefix(3).map(\.smsMsgId).joined(separator: ", ")
            log("\(summary.unknown) report(s) for a message id no job here has (request with \(ids)); "
                + "counted (\(after.unknown) so far) and kept in case a job records that id later")
        }
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
    /// as soon as it is known to be too large (from Content-Length, or while reading). A body
    /// shorter than its Content-Length was cut off and is not read as a report: a cut-off form
    /// could still parse, with a wrong value.
    private static func readBody(of request: Request) async throws -> [UInt8] {
        let limit = StatusReportParser.maximumBodyBytes
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit {
            throw StatusReportError.bodyTooLarge(bytes: declared, limit: limit)
        }
        var body: [UInt8] = []
        for try await buffer in request.body {
            guard body.count + buffer.readableBytes <= limit else {
                throw StatusReportError.bodyTooLarge(bytes: body.count + buffer.readableBytes, limit: limit)
            }
            body.append(contentsOf: buffer.readableBytesView)
        }
        if let declared, body.count != declared {
            throw StatusReportError.truncatedBody(bytes: body.count, declared: declared)
        }
        return body
    }

    private func refuse(_ error: any Error) -> Response {
        let total = counters.update { $0.rejected += 1 }.rejected
        if case StatusReportError.bodyTooLarge = error {
            if Self.worthLogging(total) { log("refused a request (413): \(error)") }
            return Self.plain(HTTPResponse.Status(code: 413), "\(error)\n")
        }
        if Self.worthLogging(total) { log("could not read a request body: \(error)") }
        return Self.plain(.badRequest, "could not read the request body\n")
    }

    /// The first 20 events of a kind are logged, then every 1000th, so a flood cannot fill a disk.
    static func worthLogging(_ count: Int) -> Bool {
        count <= 20 || count % 1000 == 0
    }

    /// `worthLogging` for events counted `added` at a time, now `total`: the first 20, then one
    /// line each time the total passes another thousand.
    static func worthLogging(_ total: Int, adding added: Int) -> Bool {
        let before = total - added
        return before < 20 || before / 1000 != total / 1000
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain;charset=UTF-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
