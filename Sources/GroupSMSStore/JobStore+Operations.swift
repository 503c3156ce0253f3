import Foundation
import GroupSMSModel

/// Which file a path names: device and inode, so a file moved away or replaced is told apart
/// from the one the store opened.
struct StoreFileIdentity: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64

    /// The identity of the file at `path` now, or nil when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

extension JobStore: StoreOperationsReading {
    /// Returns when the database file the store opened is still at its path and answers a query.
    ///
    /// An open SQLite connection goes on reading a file that was deleted, moved or replaced, so
    /// the query alone would call such a store healthy while other processes (a `groupsms
    /// send` opening the path anew) see another database, or none: the file's identity is
    /// checked first.
    public func checkHealth() throws {
        guard let now = StoreFileIdentity(path: databasePath) else {
            throw StoreError.unavailable(path: databasePath, reason: "the database file is no longer there")
        }
        guard now == openedFile else {
            throw StoreError.unavailable(path: databasePath, reason: "another file has replaced the database opened")
        }
        _ = try connection.scalarText("SELECT value FROM store_meta WHERE key = 'instance'")
    }

    /// Job counts by state, unconfirmed numbers over every job, and the numbers whose start is
    /// reserved in `(now - paceSpan, now]` per pace account.
    public func operationsSnapshot(now: Date, paceSpan: TimeInterval) throws -> StoreOperationsSnapshot {
        try connection.transaction(immediate: false) {
            var jobs: [JobState: Int] = [:]
            for (state, count) in try connection.query("SELECT state, count(*) FROM jobs GROUP BY state", [], {
                (JobState(rawValue: $0.text(0)), $0.int(1))
            }) {
                if let state { jobs[state, default: 0] += count }
            }
            // Jobs first, so each job's unconfirmed numbers are one range of numbers_by_state.
            let unconfirmed = try connection.scalarInt("""
                SELECT count(*) FROM jobs CROSS JOIN numbers
                ON numbers.job_id = jobs.id AND numbers.state = 'unconfirmed'
                """) ?? 0
            let until = SlidingWindowLimit.microseconds(now)
            let since = SlidingWindowLimit.microseconds(now.addingTimeInterval(-paceSpan))
            let pace = try connection.query("""
                SELECT account, sum(numbers) FROM pace_reservations
                WHERE starts_at_us > ? AND starts_at_us <= ? GROUP BY account
                """, [.integer(since), .integer(until)]) { ($0.text(0), $0.int(1)) }
            return StoreOperationsSnapshot(jobs: jobs, unconfirmedNumbers: Int(unconfirmed),
                                           paceNumbers: Dictionary(pace, uniquingKeysWith: +))
        }
    }
}
