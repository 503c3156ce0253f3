import ArgumentParser
import Foundation
import GroupSMSOperations
import GroupSMSPlatform
import Logging

extension LogFormat: ExpressibleByArgument {}

/// `--log-format` and `--log-level`: how `daemon` and `send` write their log lines.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: ArgumentHelp(
        "text (the human lines) or json (one JSON object a line: time, level, event, message, job, chunk, smsMsgId...).",
        valueName: "format"))
    var format: LogFormat = .text

    @Option(name: .customLong("log-level"), help: ArgumentHelp(
        "Least level logged: trace, debug, info, notice, warning, error or critical. With json, debug adds a line "
            + "per accepted number and per status report.",
        valueName: "level"))
    var level: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: level) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    var isJSON: Bool { format == .json }

    /// A logger of the chosen format and level to `sink`, never showing what `redactor` hides.
    func logger(sink: LogLineSink, redactor: LogRedactor) -> Logger {
        OperationsLogging.logger(format: format, level: Logger.Level(rawValue: level) ?? .info, sink: sink,
                                 redactor: redactor)
    }

    /// What no line may show: the platform credentials (when they can be read), the report token,
    /// and the PostgreSQL password of `PGPASSWORD`.
    static func redactor(credentials: PlatformCredentials?, reportToken: String?,
                         environment: [String: String] = ProcessInfo.processInfo.environment) -> LogRedactor {
        var secrets: [String] = []
        if let credentials { secrets.append(credentials.appKey) }
        if let reportToken { secrets.append(reportToken) }
        if let password = environment["PGPASSWORD"], !password.isEmpty { secrets.append(password) }
        return LogRedactor(secrets: secrets, redactors: credentials.map { [$0.redactingSecret(in:)] } ?? [])
    }
}
