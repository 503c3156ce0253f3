import Foundation
import GroupSMSModel

extension JobStore {
    /// Appends an entry to the job's log.
    public func appendEvent(to id: JobID, kind: JobEventKind, message: String) throws {
        try connection.transaction {
            _ = try loadJob(id)
            try logEvent(id, kind, message)
        }
    }

    /// The job's log in order, after event `afterID` (to follow it), at most `limit` entries.
    public func events(of id: JobID, afterID: Int64 = 0, limit: Int = 1000) throws -> [JobEvent] {
        try connection.query("""
            SELECT id, job_id, at, kind, message FROM job_events WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?
            """, [.integer(id.rawValue), .integer(afterID), .int(limit)]) {
            JobEvent(id: $0.int64(0), jobID: JobID($0.int64(1)), at: $0.date(2),
                     kind: JobEventKind(rawValue: $0.text(3)), message: $0.text(4))
        }
    }
}
