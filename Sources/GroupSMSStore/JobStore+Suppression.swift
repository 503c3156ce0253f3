import Foundation
import GroupSMSModel

extension JobStore {
    /// Adds numbers to the suppression list; numbers already on it keep their first entry.
    /// Returns how many were new.
    @discardableResult
    public func suppress(_ numbers: [String], code: String, reason: String, sourceJob: JobID? = nil) throws -> Int {
        try connection.transaction {
            var added = 0
            for number in numbers {
                added += try connection.execute("""
                    INSERT OR IGNORE INTO suppression(number, code, reason, added_at, source_job_id) VALUES (?, ?, ?, ?, ?)
                    """, [.text(number), .text(code), .text(reason), .integer(nowMilliseconds), .int64(sourceJob?.rawValue)])
            }
            return added
        }
    }

    /// Removes numbers from the suppression list; returns how many were on it.
    @discardableResult
    public func unsuppress(_ numbers: [String]) throws -> Int {
        try connection.transaction {
            try numbers.reduce(0) { $0 + (try connection.execute("DELETE FROM suppression WHERE number = ?", [.text($1)])) }
        }
    }

    /// The whole suppression list, by number.
    public func suppressionList() throws -> [SuppressionEntry] {
        try connection.query("SELECT number, code, reason, added_at, source_job_id FROM suppression ORDER BY number",
                             [], Self.suppressionEntry)
    }

    /// The entries for those of `numbers` that are suppressed (all entries when `numbers` is nil).
    public func suppressionEntries(among numbers: [String]?) throws -> [String: SuppressionEntry] {
        var entries: [String: SuppressionEntry] = [:]
        if let numbers {
            guard !numbers.isEmpty else { return [:] }
            for entry in try connection.query("""
                SELECT number, code, reason, added_at, source_job_id FROM suppression
                WHERE number IN (SELECT value FROM json_each(?))
                """, [.text(StoreJSON.encode(numbers))], Self.suppressionEntry) {
                entries[entry.number] = entry
            }
        } else {
            for entry in try suppressionList() { entries[entry.number] = entry }
        }
        return entries
    }

    private static func suppressionEntry(_ row: SQLiteRow) -> SuppressionEntry {
        SuppressionEntry(number: row.text(0), code: row.text(1), reason: row.text(2), addedAt: row.date(3),
                         sourceJob: row.optionalInt64(4).map(JobID.init))
    }
}
