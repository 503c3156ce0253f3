import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// `store_meta` keys of the intake counters and journals, the SQLite store's.
    static let unknownCounterKey = "reports.unknown"
    static let malformedCounterKey = "reports.malformed"
    static let droppedHeldCounterKey = "reports.held.dropped"
    static let journalKeyPrefix = "reports.journal:"

    /// Applies journaled requests, lines `firstLine ..< firstLine + entries.count` of journal
    /// `name`, and records the journal's applied line count in the same transaction (as
    /// `JobStore.applyJournaledStatusReports`): exactly once, even when a replay that crashed
    /// half-way starts again from an earlier line, or two replays run at once (the count's row
    /// is locked first). A `firstLine` past the applied count is refused, since lines in between
    /// would be lost.
    public func applyJournaledStatusReports(_ entries: [JournaledStatusReports], journal name: String, firstLine: Int,
                                            heldLimit: HeldReportLimit = .standard) async throws -> StatusReportBatchSummary {
        let key = Self.journalKeyPrefix + name, logger = connection.logger
        let summary = try await reportTransaction(until: nil) { connection in
            try await connection.run("INSERT INTO store_meta(key, value) VALUES (\(key), '0') ON CONFLICT DO NOTHING",
                                       logger: logger)
            let applied = Int(try await connection.run("SELECT value FROM store_meta WHERE key = \(key) FOR UPDATE",
                                                         logger: logger).collect().first?.decode(String.self) ?? "0") ?? 0
            guard firstLine <= applied else {
                throw StoreError.invalidInput("journal \(name): line \(firstLine) comes after the \(applied) lines applied "
                                              + "so far; apply the journal from line \(applied)")
            }
            var context = PostgresReportContext(now: nowMilliseconds, heldLimit: heldLimit)
            for entry in entries.dropFirst(applied - firstLine) {
                context.malformed += entry.malformedEntries
                try await ingestReports(entry.reports, into: &context, on: connection)
            }
            try await finish(context, on: connection)
            let through = max(applied, firstLine + entries.count)
            try await connection.run("UPDATE store_meta SET value = \(String(through)) WHERE key = \(key)", logger: logger)
            return context.summary
        }
        // Without a deadline the transaction either commits or throws.
        return summary ?? StatusReportBatchSummary()
    }

    /// How many lines of the receiver journal `name` are applied (0 for a journal never applied).
    public func appliedJournalLines(_ name: String) async throws -> Int {
        try await counters([Self.journalKeyPrefix + name]).values.first ?? 0
    }

    /// Every journal with a recorded applied line count, by name.
    public func journalsApplied() async throws -> [String: Int] {
        let prefix = Self.journalKeyPrefix
        let rows = try await connection.query("SELECT key, value FROM store_meta WHERE starts_with(key, \(prefix))")
        var journals: [String: Int] = [:]
        for row in rows {
            let (key, value) = try row.decode((String, String).self)
            journals[String(key.dropFirst(prefix.count))] = Int(value) ?? 0
        }
        return journals
    }

    /// Forgets journal `name`'s applied line count, once its file is gone.
    public func forgetJournal(_ name: String) async throws {
        let key = Self.journalKeyPrefix + name
        try await connection.query("DELETE FROM store_meta WHERE key = \(key)")
    }

    /// Malformed, unknown, held and dropped report counts of the store, read in one statement.
    public func statusReportIntakeCounts() async throws -> StatusReportIntakeCounts {
        let keys = [Self.malformedCounterKey, Self.unknownCounterKey, Self.droppedHeldCounterKey]
        let rows = try await connection.query("""
            SELECT (SELECT count(*) FROM status_reports WHERE applied = 2),
                (SELECT COALESCE(json_object_agg(key, value), '{}')::text FROM store_meta WHERE key = ANY(\(keys)::text[]))
            """)
        let (held, values) = try rows[0].decode((Int64, String).self)
        let counters = (try? JSONDecoder().decode([String: String].self, from: Data(values.utf8))) ?? [:]
        var counts = StatusReportIntakeCounts()
        counts.malformed = counters[Self.malformedCounterKey].flatMap { Int($0) } ?? 0
        counts.unknownReceived = counters[Self.unknownCounterKey].flatMap { Int($0) } ?? 0
        counts.droppedHeld = counters[Self.droppedHeldCounterKey].flatMap { Int($0) } ?? 0
        counts.held = Int(held)
        return counts
    }

    // MARK: - Inside a transaction

    /// Drops held reports beyond `limit` (as the SQLite store): the oldest beyond its count, and
    /// those older than its age. Counted and logged in the store's log. The caller holds the
    /// held-reports lock exclusively (it held reports), so no other transaction drops at once.
    func dropHeldReports(beyond limit: HeldReportLimit, now: Int64, on connection: PostgresConnection) async throws {
        let logger = self.connection.logger
        var dropped = 0
        let held = try await connection.run("SELECT count(*) FROM status_reports WHERE applied = 2", logger: logger)
            .collect().first?.decode(Int64.self) ?? 0
        if held > limit.count {
            dropped += try await connection.run("""
                DELETE FROM status_reports WHERE id IN (
                    SELECT id FROM (SELECT id FROM status_reports WHERE applied = 2 OFFSET 0) AS held
                    ORDER BY id LIMIT \(held - Int64(limit.count))) RETURNING id
                """, logger: logger).collect().count
        }
        let (seconds, attoseconds) = limit.maximumAge.components
        let cutoff = now - seconds * 1000 - attoseconds / 1_000_000_000_000_000
        // Only when the oldest held report is too old is the delete needed. (Both read the held
        // rows through their partial index; the OFFSET 0 above keeps the planner from walking
        // the primary key over every applied report to find the oldest held ones.)
        let oldest = try await connection.run("SELECT min(received_at) FROM status_reports WHERE applied = 2",
                                                logger: logger).collect().first?.decode(Int64?.self) ?? nil
        if let oldest, oldest < cutoff {
            dropped += try await connection.run("""
                DELETE FROM status_reports WHERE applied = 2 AND received_at < \(cutoff) RETURNING id
                """, logger: logger).collect().count
        }
        guard dropped > 0 else { return }
        try await bumpCounter(Self.droppedHeldCounterKey, by: dropped, on: connection)
        try await logStoreEvent(.unknownReports, at: now, "dropped the \(dropped) oldest held status report"
                                + "\(dropped == 1 ? "" : "s") for unknown message ids (at most \(limit.count) are held, "
                                + "for at most \(seconds / 3600) h)", on: connection)
    }

    func bumpCounter(_ key: String, by amount: Int, on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO store_meta(key, value) VALUES (\(key), \(String(amount)))
            ON CONFLICT (key) DO UPDATE SET value = (store_meta.value::bigint + excluded.value::bigint)::text
            """, logger: self.connection.logger)
    }

    /// An entry of the store's own log (about no single job).
    func logStoreEvent(_ kind: JobEventKind, at now: Int64, _ message: String,
                       on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO store_events(at, kind, message) VALUES (\(now), \(kind.rawValue), \(message))
            """, logger: self.connection.logger)
    }

    private func counters(_ keys: [String]) async throws -> [String: Int] {
        var values: [String: Int] = [:]
        for row in try await connection.query("SELECT key, value FROM store_meta WHERE key = ANY(\(keys)::text[])") {
            let (key, value) = try row.decode((String, String).self)
            values[key] = Int(value) ?? 0
        }
        return values
    }
}
