import Foundation
import GroupSMSModel
import Hummingbird

/// Answers the two send endpoints: authentication, whole-request rules, faults, the account's
/// decision, the log line and the status reports.
struct SimulatorHTTPHandler: Sendable {
    let configuration: SimulatorConfiguration
    let clock: any WallClock
    let state: SimulatorPlatformState
    let reporter: SimulatorReporter
    let log: SimulatorLog?
    let stopSignal: SimulatorStopSignal

    func handle(_ request: Request, context: SimulatorRequestContext, endpoint: SimulatorEndpoint) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: configuration.maxBodyBytes).readableBytesView)
        let now = clock.now()
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0),\(field.value)" } ?? field.value
        }
        if let authority = request.head.authority { headers["host"] = authority }
        let verifier = SimulatorAuthVerifier(credentials: configuration.credentials, accountState: configuration.accountState)
        let verdict = verifier.verify(
            SimulatorAuthInput(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                               header: { headers[$0] }, body: body),
            now: now)
        var record = SimulatorRequestRecord(receivedAt: now, endpoint: endpoint.rawValue, auth: verdict.logValue,
                                            httpStatus: verdict.httpStatus, code: verdict.code ?? "", numbers: [],
                                            statuses: [], smsMsgIds: [], extend: nil, fault: nil)
        if let code = verdict.code {
            return await refuse(code: code, httpStatus: verdict.httpStatus, record: &record)
        }
        let contentType = (headers["content-type"] ?? "").lowercased()
        guard contentType.hasPrefix(endpoint.expectedContentType) else {
            return await refuse(code: "E000040", httpStatus: 400, record: &record)
        }
        let submission: SimulatorSubmission
        do {
            submission = try SimulatorSubmissionParser.parse(body, endpoint: endpoint)
        } catch {
            record.numbers = error.numbers
            return await refuse(code: error.code, httpStatus: error.httpStatus, record: &record)
        }
        record.numbers = submission.allNumbers
        record.extend = submission.extend
        let (fault, latency) = await state.drawFault()
        record.fault = fault?.rawValue
        if fault == .serverError {
            return await refuse(code: "E000000", httpStatus: 500, record: &record,
                                body: Array("simulated platform failure".utf8))
        }
        let decision = await state.decide(submission, now: now)
        record.httpStatus = decision.httpStatus
        record.code = decision.code
        record.statuses = decision.results.map(\.status)
        record.smsMsgIds = decision.results.map(\.smsMsgId)
        await keep(record)
        if let callback = submission.statusCallback, !decision.reports.isEmpty {
            reporter.schedule(decision.reports, to: callback, due: now.addingTimeInterval(configuration.reports.delay))
        }
        if latency > 0 { try await Task.sleep(nanoseconds: UInt64(latency * 1e9)) }
        switch fault {
        case .stall?:
            // At shutdown a stalled request ends like a dropped one: no answer.
            if await stopSignal.sleep(seconds: configuration.stallSeconds) { context.dropConnection() }
        case .drop?:
            context.dropConnection()
        default:
            break
        }
        return Self.response(status: decision.httpStatus, body: SimulatorResponseBody.decision(decision))
    }

    private func refuse(code: String, httpStatus: Int, record: inout SimulatorRequestRecord,
                        body: [UInt8]? = nil) async -> Response {
        record.code = code
        record.httpStatus = httpStatus
        await keep(record)
        return Self.response(status: httpStatus, body: body ?? SimulatorResponseBody.error(code: code))
    }

    private func keep(_ record: SimulatorRequestRecord) async {
        await state.record(record)
        await log?.append(record)
    }

    private static func response(status: Int, body: [UInt8]) -> Response {
        Response(status: HTTPResponse.Status(code: status),
                 headers: [.contentType: "application/json;charset=UTF-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
