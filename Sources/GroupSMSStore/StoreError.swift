import Foundation
import GroupSMSModel

/// Everything that can go wrong in the job store, with enough context to act on.
///
/// SQLite failures carry the statement, the result code and SQLite's own message; the other
/// cases name the job, chunk or rule involved. Only the CLI turns these into exit codes.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite returned `code` (an extended result code) with `message` while running `sql`.
    case sqlite(code: Int32, message: String, sql: String?, path: String)
    /// The job store in `directory` could not be opened (SQLite `code`): the directory is
    /// read-only, or `reason` says what else is wrong. No SQL or internals are shown.
    case cannotOpen(directory: String, readOnly: Bool, code: Int32, reason: String)
    /// The database was written by a newer groupsms whose schema this build does not know.
    case newerSchema(found: Int, supported: Int, path: String)
    /// No job has this id.
    case jobNotFound(String)
    /// No chunk has this id.
    case chunkNotFound(Int64)
    /// The job is not in a state that allows `action` (for example starting a finished job).
    case transitionRefused(job: String, state: JobState, action: String, reason: String)
    /// The caller no longer owns the job's runner lease (another process recovered the job).
    case leaseLost(job: String)
    /// Another runner still owns the job and looks alive.
    case runnerActive(job: String, pid: Int32, host: String, heartbeatAt: Date?)
    /// The data given to the store is inconsistent (duplicate number, bad rate, unknown chunk member).
    case invalidInput(String)
    /// The database file the store opened can no longer be used at `path` (moved, deleted,
    /// replaced, or its file system gone); `reason` says which.
    case unavailable(path: String, reason: String)

    /// The SQLite result code, when this error came from SQLite.
    public var sqliteCode: Int32? {
        switch self {
        case .sqlite(let code, _, _, _), .cannotOpen(_, _, let code, _): return code
        default: return nil
        }
    }

    /// True when SQLite gave up waiting for another process's write lock (SQLITE_BUSY family).
    public var isBusy: Bool { sqliteCode.map { $0 & 0xFF == 5 } ?? false }

    public var description: String {
        switch self {
        case .sqlite(let code, let message, let sql, let path):
            var text = "SQLite error \(code) (\(message)) in \(path)"
            if let sql { text += " while running: \(sql.prefix(200))" }
            if code & 0xFF == 5 {
                text += " — another groupsms process held the database longer than the busy timeout; try again"
            } else if code & 0xFF == 11 || code & 0xFF == 26 {
                text += " — the database file is damaged or not a groupsms database"
            } else if code & 0xFF == 13 {
                text += " — the disk is full; free some space and try again"
            } else if code & 0xFF == 8 {
                text += " — the job store is read-only; groupsms must be able to write its data dir"
            }
            return text
        case .cannotOpen(let directory, true, _, _):
            return "the data dir \(directory) is read-only: groupsms keeps its job store there (groupsms.sqlite and "
                + "its -wal and -shm files) and must write to it; give a writable --data-dir or fix its permissions"
        case .cannotOpen(let directory, false, _, let reason):
            return "cannot open the job store in \(directory): \(reason); check that groupsms.sqlite and its -wal "
                + "and -shm files there are files you may read and write"
        case .newerSchema(let found, let supported, let path):
            return "\(path) has schema version \(found) but this groupsms knows versions up to \(supported); "
                + "use a newer groupsms with this data dir"
        case .jobNotFound(let id):
            return "no job \(id) in this data dir; `groupsms jobs` lists the jobs"
        case .chunkNotFound(let id):
            return "no chunk \(id) in this data dir"
        case .transitionRefused(let job, let state, let action, let reason):
            return "cannot \(action) \(job): it is \(state.rawValue); \(reason)"
        case .leaseLost(let job):
            return "this runner no longer owns \(job): another process recovered or took it over; stopping"
        case .runnerActive(let job, let pid, let host, let heartbeat):
            let seen = heartbeat.map { " (last heartbeat \(StoreTime.iso($0)))" } ?? ""
            return "\(job) is being run by process \(pid) on \(host)\(seen); pause it or wait for that process to stop"
        case .invalidInput(let message):
            return message
        case .unavailable(let path, let reason):
            return "the job store \(path) cannot be used: \(reason); restore the data dir (or its mount), then "
                + "restart groupsms"
        }
    }
}
