import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Adds numbers to the suppression list (as `JobStore.suppress`); numbers already on it keep
    /// their first entry. Returns how many were new. One statement, inserting in number order so
    /// that two processes adding the same numbers at once wait for each other instead of
    /// deadlocking, and store and count each number once between them.
    @discardableResult
    public func suppress(_ numbers: [String], code: String, reason: String, sourceJob: JobID? = nil) async throws -> Int {
        guard !numbers.isEmpty else { return 0 }
        let now = nowMilliseconds, logger = connection.logger
        return try await transaction { connection in
            try await connection.run("""
                INSERT INTO suppression(number, code, reason, added_at, source_job_id)
                SELECT DISTINCT n, \(code), \(reason), \(now), \(sourceJob?.rawValue)::bigint FROM unnest(\(numbers)::text[]) AS n
                ORDER BY n ON CONFLICT (number) DO NOTHING RETURNING number
                """, logger: logger).collect().count
        }
    }

    /// Removes numbers from the suppression list; returns how many were on it.
    @discardableResult
    public func unsuppress(_ numbers: [String]) async throws -> Int {
        guard !numbers.isEmpty else { return 0 }
        let logger = connection.logger
        return try await transaction { connection in
            try await connection.run("""
                DELETE FROM suppression WHERE number = ANY(\(numbers)::text[]) RETURNING number
                """, logger: logger).collect().count
        }
    }

    /// The whole suppression list, by number in byte order (SQLite's order, whatever the
    /// database's collation).
    public func suppressionList() async throws -> [SuppressionEntry] {
        let logger = connection.logger
        return try await transaction { connection in
            try await connection.run("""
                SELECT number, code, reason, added_at, source_job_id FROM suppression ORDER BY number COLLATE "C"
                """, logger: logger).collect().map(Self.suppressionEntry)
        }
    }

    /// The entries for those of `numbers` that are suppressed (all entries when `numbers` is nil).
    public func suppressionEntries(among numbers: [String]?) async throws -> [String: SuppressionEntry] {
        try await transaction { connection in try await suppressionEntries(among: numbers, on: connection) }
    }

    /// `suppressionEntries(among:)` inside the caller's transaction.
    func suppressionEntries(among numbers: [String]?,
                            on connection: PostgresConnection) async throws -> [String: SuppressionEntry] {
        guard let numbers else { return try await suppressionList(on: connection) }
        guard !numbers.isEmpty else { return [:] }
        var entries: [String: SuppressionEntry] = [:]
        for row in try await connection.run("""
            SELECT number, code, reason, added_at, source_job_id FROM suppression WHERE number = ANY(\(numbers)::text[])
            """, logger: self.connection.logger).collect() {
            let entry = try Self.suppressionEntry(row)
            entries[entry.number] = entry
        }
        return entries
    }

    private static func suppressionEntry(_ row: PostgresRow) throws -> SuppressionEntry {
        let (number, code, reason, addedAt, source) = try row.decode((String, String, String, Int64, Int64?).self)
        return SuppressionEntry(number: number, code: code, reason: reason, addedAt: StoreTime.date(addedAt),
                                sourceJob: source.map(JobID.init))
    }
}
