import Foundation
import GroupSMSModel

/// How many reports for unknown message ids the store holds, and for how long.
///
/// A held report waits for a number to get its smsMsgId (a report that overtook the answer
/// recording the id, or a confirmation through `extend`). Reports arrive up to 72 h after the
/// send, so older held ones can no longer find their number; and since reports are not
/// authenticated, anyone can post unknown ids, so their count is capped too. The oldest go first.
public struct HeldReportLimit: Sendable, Hashable {
    /// At most this many held reports are kept.
    public var count: Int
    /// Held reports received longer ago than this are dropped.
    public var maximumAge: Duration

    /// The standard limit: 10,000 held reports, 72 hours.
    public static let standard = HeldReportLimit()

    /// A limit of `count` reports and `maximumAge`.
    public init(count: Int = 10_000, maximumAge: Duration = .seconds(72 * 3600)) {
        self.count = count
        self.maximumAge = maximumAge
    }

    /// The stricter of the two in each respect.
    func tightest(_ other: HeldReportLimit) -> HeldReportLimit {
        HeldReportLimit(count: min(count, other.count), maximumAge: min(maximumAge, other.maximumAge))
    }
}

/// The reports of one request a receiver journaled because the store could not take them at
/// once, read back from the journal to be applied.
public struct JournaledStatusReports: Sendable, Hashable {
    /// The well-formed reports of the request.
    public var reports: [StatusReport]
    /// Entries of the request refused as malformed (counted when the line is applied).
    public var malformedEntries: Int

    /// One journaled request.
    public init(reports: [StatusReport], malformedEntries: Int) {
        self.reports = reports
        self.malformedEntries = malformedEntries
    }
}

/// The data dir's status-report intake figures, for `show` and logs.
public struct StatusReportIntakeCounts: Sendable, Hashable, Codable {
    /// Entries refused as malformed, ever (kept raw in the data dir's `reports-malformed` folder).
    public var malformed = 0
    /// Reports ever received for an smsMsgId no number had.
    public var unknownReceived = 0
    /// Reports held now, waiting for a number with their smsMsgId.
    public var held = 0
    /// Held reports dropped by the `HeldReportLimit` (oldest first), ever.
    public var droppedHeld = 0

    /// All counts zero.
    public init() {}
}

extension JobStore {
    static let unknownCounterKey = "reports.unknown"
    static let malformedCounterKey = "reports.malformed"
    static let droppedHeldCounterKey = "reports.held.dropped"
    /// `store_meta` key prefix of a journal's applied line count.
    static let journalKeyPrefix = "reports.journal:"

    /// The data dir's unknown-report count and how many reports are held now.
    public func statusReportCounts() throws -> StatusReportCounts {
        let counts = try statusReportIntakeCounts()
        return StatusReportCounts(unknownReceived: counts.unknownReceived, held: counts.held)
    }

    /// Malformed, unknown, held and dropped report counts of the data dir.
    public func statusReportIntakeCounts() throws -> StatusReportIntakeCounts {
        var counts = StatusReportIntakeCounts()
        counts.malformed = try counter(Self.malformedCounterKey)
        counts.unknownReceived = try counter(Self.unknownCounterKey)
        counts.droppedHeld = try counter(Self.droppedHeldCounterKey)
        counts.held = Int(try connection.scalarInt("""
            SELECT count(*) FROM status_reports INDEXED BY status_reports_held WHERE applied = 2
            """) ?? 0)
        return counts
    }

    /// The data dir's own log after entry `afterID`, oldest first.
    public func dataDirEvents(afterID: Int64 = 0, limit: Int = 1000) throws -> [DataDirEvent] {
        try connection.query("SELECT id, at, kind, message FROM store_events WHERE id > ? ORDER BY id LIMIT ?",
                             [.integer(afterID), .int(limit)]) {
            DataDirEvent(id: $0.int64(0), at: $0.date(1), kind: JobEventKind(rawValue: $0.text(2)), message: $0.text(3))
        }
    }

    // MARK: - Journals

    /// How many lines of the receiver journal `name` are applied (0 for a journal never applied).
    public func appliedJournalLines(_ name: String) throws -> Int {
        try counter(Self.journalKeyPrefix + name)
    }

    /// Applies journaled requests, lines `firstLine ..< firstLine + entries.count` of journal
    /// `name`, and records the journal's applied line count in the same transaction: exactly
    /// once, even when a replay that crashed half-way starts again from an earlier line (lines
    /// already applied are skipped). A `firstLine` past the applied count is refused, since
    /// lines in between would be lost.
    public func applyJournaledStatusReports(_ entries: [JournaledStatusReports], journal name: String, firstLine: Int,
                                            heldLimit: HeldReportLimit = .standard) throws -> StatusReportBatchSummary {
        try connection.transaction {
            let applied = try counter(Self.journalKeyPrefix + name)
            guard firstLine <= applied else {
                throw StoreError.invalidInput("journal \(name): line \(firstLine) comes after the \(applied) lines applied "
                                              + "so far; apply the journal from line \(applied)")
            }
            var context = ReportApplyContext(now: nowMilliseconds, calls: 1)
            context.heldLimit = heldLimit
            for entry in entries.dropFirst(applied - firstLine) {
                context.malformed += entry.malformedEntries
                try ingestReports(entry.reports, into: &context)
            }
            try finish(context)
            let through = max(applied, firstLine + entries.count)
            try connection.execute("INSERT OR REPLACE INTO store_meta(key, value) VALUES (?, ?)",
                                   [.text(Self.journalKeyPrefix + name), .text(String(through))])
            return context.summaries[0]
        }
    }

    /// Forgets journal `name`'s applied line count, once its file is gone.
    public func forgetJournal(_ name: String) throws {
        try connection.transaction {
            _ = try connection.execute("DELETE FROM store_meta WHERE key = ?", [.text(Self.journalKeyPrefix + name)])
        }
    }

    /// Every journal with a recorded applied line count, by name.
    public func journalsApplied() throws -> [String: Int] {
        let rows = try connection.query("SELECT key, value FROM store_meta WHERE key >= ? AND key < ?",
                                        [.text(Self.journalKeyPrefix), .text(Self.journalKeyPrefix + "\u{10FFFF}")]) {
            (String($0.text(0).dropFirst(Self.journalKeyPrefix.count)), Int($0.text(1)) ?? 0)
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Inside a transaction

    /// Drops held reports beyond `limit`: the oldest beyond its count, and those older than its
    /// age. Counted and logged in the data dir's log.
    func dropHeldReports(beyond limit: HeldReportLimit, now: Int64) throws {
        var dropped = 0
        let held = Int(try connection.scalarInt("""
            SELECT count(*) FROM status_reports INDEXED BY status_reports_held WHERE applied = 2
            """) ?? 0)
        if held > limit.count {
            dropped += try connection.execute("""
                DELETE FROM status_reports WHERE id IN (SELECT id FROM status_reports INDEXED BY status_reports_held
                    WHERE applied = 2 ORDER BY id LIMIT ?)
                """, [.int(held - limit.count)])
        }
        let (seconds, attoseconds) = limit.maximumAge.components
        let cutoff = now - seconds * 1000 - attoseconds / 1_000_000_000_000_000
        // Ids grow with arrival: only when the oldest held report is too old is the age scan needed.
        if let oldest = try connection.scalarInt("""
               SELECT received_at FROM status_reports WHERE id = (SELECT min(id) FROM status_reports
                   INDEXED BY status_reports_held WHERE applied = 2)
               """), oldest < cutoff {
            dropped += try connection.execute("""
                DELETE FROM status_reports WHERE id IN (SELECT id FROM status_reports INDEXED BY status_reports_held
                    WHERE applied = 2 AND received_at < ?)
                """, [.integer(cutoff)])
        }
        guard dropped > 0 else { return }
        try bumpCounter(Self.droppedHeldCounterKey, by: dropped)
        try logDataDirEvent(.unknownReports, at: now, "dropped the \(dropped) oldest held status report"
                            + "\(dropped == 1 ? "" : "s") for unknown message ids (at most \(limit.count) are held, "
                            + "for at most \(seconds / 3600) h)")
    }

    func bumpCounter(_ key: String, by amount: Int) throws {
        try connection.execute("""
            INSERT INTO store_meta(key, value) VALUES (?, ?)
            ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)
            """, [.text(key), .text(String(amount))])
    }

    func logDataDirEvent(_ kind: JobEventKind, at now: Int64, _ message: String) throws {
        try connection.execute("INSERT INTO store_events(at, kind, message) VALUES (?, ?, ?)",
                               [.integer(now), .text(kind.rawValue), .text(message)])
    }

    private func counter(_ key: String) throws -> Int {
        Int(try connection.scalarText("SELECT value FROM store_meta WHERE key = ?", [.text(key)]) ?? "0") ?? 0
    }
}
