import ArgumentParser
import Foundation
import GroupSMSHTTPServer
import GroupSMSSimulator

/// Turns the command-line options into a `SimulatorConfiguration`, refusing values that do
/// not make sense with a message that names the option.
extension GroupSMSSim {
    func makeConfiguration() throws -> SimulatorConfiguration {
        var c = SimulatorConfiguration()
        guard let address = HTTPServerHost.address(listen) else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8443")
        }
        (c.host, c.port) = address
        c.credentials = try credentials()
        guard let state = SimulatorAccountState(rawValue: accountState) else {
            throw ValidationError("--account-state must be one of \(SimulatorAccountState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        c.accountState = state
        c.maxRate = maxRate
        c.dailyLimit = dailyLimit
        c.monthlyLimit = monthlyLimit
        c.enforceNumberLimits = !noNumberLimits
        c.templates = try templateRegistry()
        c.latency = try Self.latencyRange(latencyMs)
        try applyFaults(to: &c)
        c.seed = seed
        c.logPath = log
        c.keepRecords = false
        try applyReports(to: &c.reports)
        return c
    }

    private func credentials() throws -> SimulatorCredentials {
        guard let name = appSecretEnv else { return SimulatorCredentials.demo.replacingAppKey(appKey) }
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw ValidationError("environment variable \(name) (from --app-secret-env) is not set")
        }
        return SimulatorCredentials(appKey: appKey, appSecret: value)
    }

    /// nil (accept any template) unless `--template` or `--templates` registers one.
    private func templateRegistry() throws -> SimulatedTemplateRegistry? {
        guard !template.isEmpty || templates != nil else { return nil }
        var contents: String?
        if let path = templates {
            do { contents = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ValidationError("--templates \(path): cannot read the file (\(error.localizedDescription))")
            }
        }
        do {
            return try SimulatedTemplateRegistry(options: template, fileContents: contents, fileName: templates ?? "templates")
        } catch {
            throw ValidationError(error.description)
        }
    }

    private func applyFaults(to c: inout SimulatorConfiguration) throws {
        let fractions: [(String, Double)] = [
            ("--server-error-fraction", serverErrorFraction), ("--drop-fraction", dropFraction),
            ("--stall-fraction", stallFraction), ("--accept-then-502-fraction", acceptThen502Fraction),
            ("--accept-then-gateway-body-fraction", acceptThenGatewayBodyFraction),
            ("--unknown-code-fraction", unknownCodeFraction), ("--whole-request-fraction", wholeRequestFraction),
            ("--report-failure-fraction", reportFailureFraction),
        ]
        for (option, value) in fractions where !(0...1).contains(value) {
            throw ValidationError("\(option) must be a fraction from 0 to 1, not \(value)")
        }
        if let status = wholeRequestStatus, !Self.isCode(status) {
            throw ValidationError("--whole-request-status must be a status code of up to 7 letters and digits, e.g. E200028")
        }
        guard Self.isCode(unknownCode) else { throw ValidationError("--unknown-code must be up to 7 letters and digits, e.g. E999999") }
        if let first = faultFirst, first < 0 { throw ValidationError("--fault-first must be 0 or more") }
        c.serverErrorFraction = serverErrorFraction
        c.dropFraction = dropFraction
        c.stallFraction = stallFraction
        c.stallSeconds = stallSeconds
        c.acceptThen502Fraction = acceptThen502Fraction
        c.acceptThenGatewayBodyFraction = acceptThenGatewayBodyFraction
        c.unknownCodeFraction = unknownCodeFraction
        c.unknownCode = unknownCode
        c.wholeRequestStatus = wholeRequestStatus
        c.wholeRequestFraction = wholeRequestFraction
        c.faultFirstRequests = faultFirst
    }

    private func applyReports(to r: inout SimulatorReportConfiguration) throws {
        guard (1...SimulatorReportConfiguration.maximumBatchSize).contains(reportBatchSize) else {
            throw ValidationError("--report-batch-size must be 1 to 50 (the platform sends at most 50 a batch)")
        }
        r.enabled = !noReports
        r.consoleCallbackURL = consoleCallback
        r.delay = reportDelay
        r.batchSize = reportBatchSize
        r.failureFraction = reportFailureFraction
        r.failureStatuses = reportFailureStatuses.split(separator: ",").map(String.init)
        guard r.failureStatuses.allSatisfy(Self.isStatus) else {
            throw ValidationError("--report-failure-statuses: each status must be 1-32 printable characters without spaces")
        }
        for rule in reportStatus {
            let parts = rule.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy(\.isNumber), Self.isStatus(parts[1]) else {
                throw ValidationError("--report-status must be SUFFIX=STATUS with a digit suffix and a status of 1-32 characters, e.g. 13=UNDELIV")
            }
            r.statusBySuffix[parts[0]] = parts[1]
        }
        r.segmentsPerMessage = try Self.segments(reportSegments)
        r.failingPart = try reportFailingPart.map(Self.failingPart)
    }

    static func segments(_ text: String) throws -> Int? {
        if text == "counted" { return nil }
        guard let count = Int(text), (1...99).contains(count) else {
            throw ValidationError("--report-segments must be 1 to 99, or 'counted'")
        }
        return count
    }

    static func failingPart(_ text: String) throws -> SimulatorFailingPart {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let sequence = Int(parts[0]), (1...99).contains(sequence), isStatus(parts[1]) else {
            throw ValidationError("--report-failing-part must be SEQUENCE=STATUS, e.g. 2=UNDELIV")
        }
        return SimulatorFailingPart(sequence: sequence, status: parts[1])
    }

    static func latencyRange(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: "-").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }) else {
            throw ValidationError("--latency-ms must be N or MIN-MAX in milliseconds, e.g. 20-80")
        }
        let low = parts[0]! / 1000, high = (parts.count == 2 ? parts[1]! : parts[0]!) / 1000
        guard low <= high else { throw ValidationError("--latency-ms: MIN must not exceed MAX") }
        return low...high
    }

    /// A report status: 1-32 printable ASCII characters without spaces (e.g. `MN:000123`).
    private static func isStatus(_ text: String) -> Bool {
        (1...32).contains(text.count) && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7f }
    }

    private static func isCode(_ text: String) -> Bool {
        (1...7).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
