import Foundation
import GroupSMSModel
import Hummingbird

/// Answers the two send endpoints: authentication, whole-request rules, templates, faults, the
/// account's decision, the log line and the status reports.
struct SimulatorHTTPHandler: Sendable {
    let configuration: SimulatorConfiguration
    let clock: any WallClock
    let state: SimulatorPlatformState
    let reporter: SimulatorReporter
    let log: SimulatorLog?
    let stopSignal: SimulatorStopSignal

    /// An answer: HTTP status, body and its content type.
    private struct Answer {
        var status: Int
        var body: [UInt8]
        var contentType = "application/json;charset=UTF-8"
    }

    func handle(_ request: Request, context: SimulatorRequestContext, endpoint: SimulatorEndpoint) async throws -> Response {
        // The platform counts a request where it starts (SPEC §4: pacing on request start
        // times): stamped when its head has arrived, before the body is read.
        let now = clock.now()
        let body = Array(try await request.body.collect(upTo: configuration.maxBodyBytes).readableBytesView)
        let headers = Self.headers(of: request)
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
        guard (headers["content-type"] ?? "").lowercased().hasPrefix(endpoint.expectedContentType) else {
            return await refuse(code: "E000040", httpStatus: 400, record: &record)
        }
        let submission: SimulatorSubmission
        let templates: [SimulatorGroupTemplate]
        do {
            submission = try SimulatorSubmissionParser.parse(body, endpoint: endpoint)
            templates = try SimulatorTemplateCheck.check(submission, registry: configuration.templates)
        } catch {
            record.numbers = error.numbers
            return await refuse(code: error.code, httpStatus: error.httpStatus, record: &record)
        }
        return try await process(submission, templates: templates, now: now, record: record, context: context)
    }

    /// Draws the fault, lets the account decide, logs, schedules the reports and answers.
    private func process(_ submission: SimulatorSubmission, templates: [SimulatorGroupTemplate], now: Date,
                         record: SimulatorRequestRecord, context: SimulatorRequestContext) async throws -> Response {
        var record = record
        record.numbers = submission.allNumbers
        record.extend = submission.extend
        if record.endpoint == SimulatorEndpoint.batchSendDiffSms.rawValue {
            // Each number with its own content, so a log shows what every recipient was sent.
            record.templateIds = submission.groups.flatMap { group in group.numbers.map { _ in group.templateId } }
            record.templateParas = submission.groups.flatMap { group in group.numbers.map { _ in group.templateParas ?? [] } }
        }
        let (fault, latency) = await state.drawFault()
        record.fault = fault?.rawValue
        if fault == .serverError {
            return await refuse(code: "E000000", httpStatus: 500, record: &record, body: Array("simulated platform failure".utf8))
        }
        let destination = reportDestination(submission)
        let decision = if fault == .wholeRequestStatus, let status = configuration.wholeRequestStatus {
            await state.rejectEveryNumber(submission, status: status, now: now)
        } else {
            await state.decide(submission, templates: templates, reportsTo: destination, now: now)
        }
        let answer = answer(for: decision, fault: fault)
        record.note(decision, answeredWith: answer.status, code: fault.flatMap(answeredCode) ?? decision.code)
        await keep(record)
        if let destination, !decision.reports.isEmpty {
            reporter.schedule(decision.reports, to: destination, due: now.addingTimeInterval(configuration.reports.delay))
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
        return Self.response(answer)
    }

    /// Single reports to the request's `statusCallback`; without one, batch reports to the
    /// console-configured URL; with neither, none (API reference 3.2.5, batch reports API).
    private func reportDestination(_ submission: SimulatorSubmission) -> SimulatorReportDestination? {
        if let callback = submission.statusCallback { return .statusCallback(callback) }
        return configuration.reports.consoleCallbackURL.map { .console($0) }
    }

    /// The answer of a processed request: the decision, or what the fault puts in its place.
    private func answer(for decision: SimulatorDecision, fault: SimulatorFault?) -> Answer {
        switch fault {
        case .acceptThen502?:
            return Answer(status: 502, body: SimulatorResponseBody.badGatewayPage, contentType: "text/html")
        case .acceptThenGatewayBody?:
            return Answer(status: 200, body: SimulatorResponseBody.gatewayThrottled)
        case .unknownCode?:
            return Answer(status: 200, body: SimulatorResponseBody.unknownCode(configuration.unknownCode))
        default:
            return Answer(status: decision.httpStatus, body: SimulatorResponseBody.decision(decision))
        }
    }

    /// The result code an answer carries under `fault` ("" when the answer has no `code`).
    private func answeredCode(_ fault: SimulatorFault) -> String? {
        switch fault {
        case .acceptThen502, .acceptThenGatewayBody: return ""
        case .unknownCode: return configuration.unknownCode
        default: return nil
        }
    }

    private func refuse(code: String, httpStatus: Int, record: inout SimulatorRequestRecord,
                        body: [UInt8]? = nil) async -> Response {
        record.code = code
        record.httpStatus = httpStatus
        await keep(record)
        return Self.response(Answer(status: httpStatus, body: body ?? SimulatorResponseBody.error(code: code)))
    }

    private func keep(_ record: SimulatorRequestRecord) async {
        await state.record(record)
        await log?.append(record)
    }

    /// Headers by lowercase name, repeated ones joined with ',', and `host` from the authority.
    private static func headers(of request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0),\(field.value)" } ?? field.value
        }
        if let authority = request.head.authority { headers["host"] = authority }
        return headers
    }

    private static func response(_ answer: Answer) -> Response {
        Response(status: HTTPResponse.Status(code: answer.status),
                 headers: [.contentType: answer.contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

extension SimulatorRequestRecord {
    /// Fills in what the account decided and what was answered.
    mutating func note(_ decision: SimulatorDecision, answeredWith httpStatus: Int, code: String) {
        self.httpStatus = httpStatus
        self.code = code
        statuses = decision.results.map(\.status)
        smsMsgIds = decision.results.map(\.smsMsgId)
        if decision.textsKnown {
            segments = decision.results.map { $0.count?.segments ?? 0 }
            encodings = decision.results.map { $0.count?.encoding ?? "" }
        }
    }
}
