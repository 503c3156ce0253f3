import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSPlatform
import GroupSMSHTTPServer
import GroupSMSStore
import GroupSMSReports

/// `--listen`, `--report-token` and `--wait-reports`: the status-report receiver a command runs
/// beside its jobs, so delivery results land in the data dir while (and after) they send.
struct ReportListenerOptions: ParsableArguments {
    @Option(name: .customLong("listen"), help: ArgumentHelp(
        "Receive status reports on HOST:PORT (port 0 picks a free one).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("report-token"), help: ArgumentHelp(
        "Accept reports only on /reports/<token> (16-128 of A-Z a-z 0-9 - _); other paths get 404. Other local "
            + "users can read arguments (ps): prefer $GROUPSMS_REPORT_TOKEN or --report-token-file.",
        valueName: "token"))
    var reportToken: String?

    @Option(name: .customLong("report-token-file"), help: ArgumentHelp(
        "Read the report token from this file: yours, mode 0600, the token on one line "
            + "(default: $GROUPSMS_REPORT_TOKEN).",
        valueName: "file"))
    var reportTokenFile: String?

    @Option(name: .customLong("callback-url"), help: ArgumentHelp(
        "The status-callback URL the platform is given: the public (HTTPS) address that reaches this receiver, "
            + "e.g. through a reverse proxy. Needed when --listen is a wildcard address (0.0.0.0, ::), or loopback "
            + "while the endpoint is not.",
        valueName: "url"))
    var callbackURL: String?

    @Option(name: .customLong("wait-reports"), help: ArgumentHelp(
        "After the last chunk, keep listening until every accepted number has a report or this long has passed (e.g. 30s, 10m).",
        valueName: "duration"))
    var waitReports: String?

    func validate() throws {
        if let listen { _ = try Self.address(listen) }
        if let callbackURL {
            let url = URLComponents(string: callbackURL)
            // A URL carrying a password is never echoed back.
            guard url?.user == nil, url?.password == nil else {
                throw ValidationError("--callback-url: the URL holds a user name or password; give it without them")
            }
            guard let url, ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
                throw ValidationError("--callback-url \(callbackURL): give an http(s) URL with a host")
            }
        }
        if let reportToken {
            guard reportTokenFile == nil else { throw ValidationError("give --report-token or --report-token-file, not both") }
            do { try StatusReportReceiver.validate(pathToken: reportToken) } catch {
                throw ValidationError("--report-token: \(error)")
            }
        }
        if let waitReports {
            do { _ = try ScheduleTimeParser.parseDuration(waitReports) } catch {
                throw ValidationError("--wait-reports: \(error)")
            }
        }
    }

    /// The callback the platform is given for requests sent by this process (nil for none), from
    /// `statusCallback` (the job's own, or `none`), `--callback-url`, or the receiver's address.
    /// `receiverURL` defaults to the `--listen` address as the receiver will publish it.
    func callback(statusCallback: String?, endpoint: String?, receiverURL: String? = nil) throws -> String? {
        let listening = receiverURL ?? listen.map { "http://\($0)/reports" }
        do {
            return try StatusCallbackRule.resolve(statusCallback: statusCallback, callbackURL: callbackURL,
                                                  receiverURL: listening, endpoint: endpoint ?? "")
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// How long to wait for reports after the last chunk (`fallback` when not given).
    func waitDuration(fallback: TimeInterval) -> TimeInterval {
        waitReports.flatMap { try? ScheduleTimeParser.parseDuration($0) } ?? fallback
    }

    /// Starts the receiver on `--listen`, or on `implied` (e.g. loopback for `--simulate`) when
    /// no address was given; nil when neither asks for one. `operations` adds metrics, event
    /// lines and routes; `log` replaces the receiver's standard-error lines (nil keeps them).
    func startReceiver(store: any JobStoring, implied: String? = nil,
                       operations: StatusReportReceiverOperations = StatusReportReceiverOperations(),
                       log: (@Sendable (String) -> Void)? = nil) async throws -> StatusReportReceiver? {
        guard let address = listen ?? implied else { return nil }
        let (host, port) = try Self.address(address)
        return try await StatusReportReceiver.start(store: store, host: host, port: port, pathToken: try resolvedToken(),
                                                    operations: operations,
                                                    log: log ?? StatusReportReceiver.logToStandardError)
    }

    /// The path token: `--report-token`, else the `--report-token-file`'s, else
    /// `$GROUPSMS_REPORT_TOKEN`; nil when none is given. A bad file or value is refused by name.
    func resolvedToken(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let reportToken { return reportToken }
        let (token, source): (String, String)
        if let file = reportTokenFile {
            let text = try SecretFile.readText(file, what: "the report token file")
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard lines.count == 1 else {
                throw CommandRefusal(description: "\(file): the report token file must hold the token on one line")
            }
            (token, source) = (lines[0], file)
        } else if let value = environment["GROUPSMS_REPORT_TOKEN"], !value.isEmpty {
            (token, source) = (value, "GROUPSMS_REPORT_TOKEN")
        } else {
            return nil
        }
        do { try StatusReportReceiver.validate(pathToken: token) } catch {
            throw CommandRefusal(description: "\(source): \(error)")
        }
        return token
    }

    /// Splits HOST:PORT (an IPv6 host in brackets: [::1]:8080).
    static func address(_ text: String) throws -> (host: String, port: Int) {
        guard let address = HTTPServerHost.address(text) else {
            throw ValidationError("--listen \(text): expected HOST:PORT, e.g. 127.0.0.1:8080")
        }
        return address
    }
}

/// Waiting, after a job's last chunk, for the status reports of its accepted numbers.
enum ReportWait {
    /// Polls the job until no number awaits a report or `seconds` have passed; returns how many
    /// numbers still await one.
    static func untilReported(_ job: JobID, store: any JobStoring, seconds: TimeInterval) async throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let awaiting = try await store.summary(of: job).awaitingReport
            if awaiting == 0 || Date() >= deadline { return awaiting }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
    }
}
