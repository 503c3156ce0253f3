import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

/// How the PostgreSQL store reads its rows into the model's values (the same columns as the
/// SQLite store's, so both give equal records).
enum PostgresJobRows {
    static let jobColumns = """
        id, name, source_files, template_id, params, signature, sender, endpoint, status_callback,
        default_country, content_key, rate, max_defer_ms, state, scheduled_at, created_at, started_at,
        finished_at, runner_token, runner_pid, runner_host, heartbeat_at, rerun_of, last_error, send_window, send_by
        """

    static func jobRecord(_ row: PostgresRow) throws -> JobRecord {
        let cells = row.makeRandomAccess()
        func text(_ index: Int) throws -> String { try cells[index].decode(String.self) }
        func optionalText(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
        func int(_ index: Int) throws -> Int64 { try cells[index].decode(Int64.self) }
        func optionalDate(_ index: Int) throws -> Date? { try cells[index].decode(Int64?.self).map(StoreTime.date) }
        var runner: RunnerInfo?
        if let token = try optionalText(18) {
            runner = RunnerInfo(token: token, pid: Int32(truncatingIfNeeded: try cells[19].decode(Int64?.self) ?? 0),
                                host: try optionalText(20) ?? "", heartbeatAt: try optionalDate(21))
        }
        let settings = JobSettings(
            templateID: try text(3), from: try text(6), params: strings(try text(4)), signature: try optionalText(5),
            rate: Int(try int(11)), statusCallback: try optionalText(8), defaultCountry: try text(9),
            maxDefer: Double(try int(12)) / 1000, sendWindow: sendWindow(try text(24)))
        return JobRecord(
            id: JobID(try int(0)), name: try text(1), sourceFiles: strings(try text(2)), settings: settings,
            endpoint: try optionalText(7), state: JobState(rawValue: try text(13)) ?? .failed,
            scheduledAt: StoreTime.date(try int(14)), createdAt: StoreTime.date(try int(15)),
            startedAt: try optionalDate(16), finishedAt: try optionalDate(17), runner: runner,
            rerunOf: try cells[22].decode(Int64?.self).map(JobID.init), lastError: try optionalText(23),
            sendBy: try optionalDate(25))
    }

    /// A stored window setting, read as the SQLite store reads it: text it cannot read (a
    /// hand-edited row) means the regional defaults, never "no window".
    static func sendWindow(_ text: String) -> SendWindowSetting {
        (try? SendWindowSetting(parsing: text, source: "the stored send_window")) ?? .regionDefaults
    }

    /// A JSON array of strings, as `source_files` and `params` hold them.
    static func json(_ strings: [String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: strings, options: [.withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return "[]" }
        return text
    }

    /// A JSON array of strings written directly, as the SQLite store writes a tuple's values: a
    /// personalised job writes one per distinct tuple, a million for a million-number job.
    static func valuesJSON(_ strings: [String]) -> String {
        "[" + strings.map(QuotedText.json).joined(separator: ",") + "]"
    }

    static func strings(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
