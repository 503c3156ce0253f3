import Foundation
import GroupSMSModel

/// A job file's problem, naming the file, the key and (when known) the line.
public struct JobFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The job file.
    public var path: String
    /// The key at fault, or nil for a problem with the whole file.
    public var key: String?
    /// The line in the file (1-based), when the YAML parser knows it.
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String

    /// An error about `key` of the file at `path`.
    public init(path: String, key: String?, line: Int?, message: String) {
        self.path = path
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let key { place += ": key '\(key)'" }
        return "\(place): \(message)"
    }
}

/// A campaign definition from a YAML job file (SPEC §3), validated and resolved.
///
/// Keys: `name`, `recipients` (one path or a list, relative to the job file), `template`,
/// `params`, `from`, `signature`, `at`, `rate`, `status_callback`, `default_country`,
/// `max_defer` (the job form of `--max-defer`), `send_window` (`HH:MM-HH:MM`, `default` or
/// `any`) and `send_by` (a deadline, as `at` is written). Any other key is refused, so a typo
/// such as `templte` cannot silently drop a setting.
@dynamicMemberLookup
public struct JobFile: Sendable, Equatable, HasJobSettings {
    /// The job file's path as given.
    public var path: String
    /// The job's name (default: the file name without extension).
    public var name: String
    /// Recipient XLSX paths, resolved against the job file's folder.
    public var recipients: [String]
    /// What the job sends and how (template, params, from, signature, rate, callback, ...).
    public var settings: JobSettings
    /// The start time; nil means as soon as it is submitted.
    public var at: Date?
    /// The template's approved text given in the file (`template_text`, with `template_kind`),
    /// checked like a catalogue template; nil uses the catalogue.
    public var inlineTemplate: MessageTemplate?
    /// How the recipient workbooks are laid out (`variables: columns`: each row's own values).
    public var layout: RecipientLayout = .numbers
    /// The deadline after which numbers still waiting fail as retryable SEND_WINDOW; nil: none.
    public var sendBy: Date?
    /// Things worth telling the user that do not stop the job.
    public var warnings: [String]

    /// The keys a job file may have.
    public static let allowedKeys: [String] = [
        "name", "recipients", "template", "params", "from", "signature", "at", "rate",
        "status_callback", "callback_url", "default_country", "max_defer", "send_window", "send_by",
        "template_text", "template_kind", "variables",
    ]

    /// Reads and validates the job file at `path`; relative `at` times count from `clock`.
    /// Recipient files must exist; one named twice (by any path) is read once, with a warning.
    public static func load(path: String, clock: any WallClock) throws(JobFileError) -> JobFile {
        var file = try parse(yaml: try readText(path), path: path, clock: clock)
        for recipient in file.recipients where !FileManager.default.fileExists(atPath: recipient) {
            throw JobFileError(path: path, key: "recipients", line: nil,
                               message: "the recipient file \(recipient) does not exist (paths are relative to the job file)")
        }
        let distinct = RecipientFileList.distinct(file.recipients)
        file.recipients = distinct.paths
        file.warnings += distinct.warnings
        return file
    }

    /// The file's text, refused before it is read whole when it is larger than
    /// `JobFileRules.maximumFileBytes`, and refused when it is a folder or not UTF-8.
    private static func readText(_ path: String) throws(JobFileError) -> String {
        func refuse(_ message: String) -> JobFileError { JobFileError(path: path, key: nil, line: nil, message: message) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw refuse("cannot read the job file: it does not exist; check the path")
        }
        guard !isDirectory.boolValue else { throw refuse("is a directory, not a job file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw refuse("cannot open the job file; check its permissions")
        }
        defer { try? handle.close() }
        let limit = JobFileRules.maximumFileBytes
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw refuse("cannot read the job file (\(error.localizedDescription))")
        }
        guard data.count <= limit else {
            throw refuse("is larger than 1 MiB, the most a job file may hold; a job file names settings and "
                         + "recipient files, and the numbers belong in the XLSX files")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw refuse("is not UTF-8 text") }
        return text
    }

    /// Validates job-file YAML `text` as if read from `path` (used to resolve recipients and in
    /// messages). Does not touch the file system.
    public static func parse(yaml text: String, path: String, clock: any WallClock) throws(JobFileError) -> JobFile {
        let reader = try JobFileReader(yaml: text, path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let params = try reader.stringList("params", allowSingle: false, required: false)
        if let problem = JobFileRules.paramsProblem(params) { throw reader.error("params", problem) }
        let settings = JobSettings(
            templateID: try reader.token("template", rule: JobFileRules.templateIDProblem),
            from: try reader.token("from", rule: JobFileRules.fromProblem),
            params: params, signature: try reader.optionalString("signature"))
        var file = JobFile(
            path: path,
            name: try reader.optionalString("name") ?? stem,
            recipients: try reader.stringList("recipients", allowSingle: true, required: true).map {
                $0.hasPrefix("/") ? $0 : folder.appendingPathComponent($0).standardizedFileURL.path
            },
            settings: settings, at: nil, sendBy: nil, warnings: [])
        file.inlineTemplate = try inlineTemplate(reader, templateID: settings.templateID)
        if let layout = try reader.optionalString("variables") {
            if let problem = RecipientLayout.variablesProblem(layout) { throw reader.error("variables", problem) }
            file.layout = .columns
            if !params.isEmpty {
                throw reader.error("params", "a job with `variables: columns` takes each row's values from the file; leave params out")
            }
        }
        if let text = try reader.optionalString("at") {
            do {
                let start = try ScheduleTimeParser(clock: clock).parse(text)
                try ScheduleRules().checkFirstStart(start, now: clock.now())
                file.at = start
            } catch {
                throw reader.error("at", error.description)
            }
        }
        file.rate = try reader.integer("rate", in: JobSettings.rates) ?? JobSettings.defaultRate
        file.statusCallback = try statusCallback(reader)
        if let country = try reader.optionalString("default_country") {
            guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw reader.error("default_country", "must be a two-letter region code such as CN or GB, got '\(country)'")
            }
            file.defaultCountry = country.uppercased()
        }
        if let text = try reader.optionalString("max_defer") {
            do {
                file.maxDefer = try ScheduleTimeParser.parseDuration(text)
            } catch {
                throw reader.error("max_defer", error.description)
            }
        }
        try readSendWindow(reader, into: &file, clock: clock)
        file.warnings = warnings(for: file)
        return file
    }

    /// `template_text` (and `template_kind`, default notification) as a template, refused
    /// naming the placeholder when the text breaks the platform's variable rules.
    private static func inlineTemplate(_ reader: JobFileReader, templateID: String) throws(JobFileError) -> MessageTemplate? {
        let kindText = try reader.optionalString("template_kind")
        guard let text = try reader.optionalString("template_text") else {
            if kindText != nil { throw reader.error("template_kind", "belongs to template_text; give the template's text too") }
            return nil
        }
        do {
            let kind = try kindText.map { value throws(TemplateError) in try TemplateKind(argument: value) } ?? .notification
            return try MessageTemplate(id: templateID, text: text, kind: kind, region: .mainland)
        } catch {
            throw reader.error(kindText != nil && error.rule == "unknown-template-kind" ? "template_kind" : "template_text",
                               error.description)
        }
    }

    /// `send_window` and `send_by` (SPEC §8); the deadline must come after the start.
    private static func readSendWindow(_ reader: JobFileReader, into file: inout JobFile,
                                       clock: any WallClock) throws(JobFileError) {
        if let text = try reader.optionalString("send_window") {
            do {
                file.sendWindow = try SendWindowSetting(parsing: text, source: "send_window")
            } catch {
                throw reader.error("send_window", error.description)
            }
        }
        guard let text = try reader.optionalString("send_by") else { return }
        let deadline: Date
        do {
            deadline = try ScheduleTimeParser(clock: clock).parse(text)
        } catch {
            throw reader.error("send_by", error.description)
        }
        let start = file.at ?? clock.now()
        guard deadline > start else {
            throw reader.error("send_by", "the deadline \(ISOTimeText.utc(deadline)) is not after the job's start "
                               + "\(ISOTimeText.utc(start)); give a later time")
        }
        file.sendBy = deadline
    }

    /// `status_callback` (a URL, or `none` for no callback) or its synonym `callback_url`.
    private static func statusCallback(_ reader: JobFileReader) throws(JobFileError) -> String? {
        let given = try reader.optionalString("status_callback")
        if given == JobSettings.noStatusCallback { return given }
        let url = try reader.url("status_callback")
        let alias = try reader.url("callback_url")
        if url != nil, alias != nil {
            throw reader.error("callback_url", "give status_callback or callback_url, not both")
        }
        return url ?? alias
    }

    private static func warnings(for file: JobFile) -> [String] {
        var warnings: [String] = []
        if !file.name.allSatisfy({ $0.isLetter || $0.isNumber }) {
            warnings.append("the name '\(file.name)' has characters other than letters and digits, "
                            + "which the Group SMS Assistant console does not accept in names")
        }
        for recipient in file.recipients where !recipient.lowercased().hasSuffix(".xlsx") {
            warnings.append("recipient file \(recipient) does not end in .xlsx; only XLSX files can be read")
        }
        return warnings
    }
}
