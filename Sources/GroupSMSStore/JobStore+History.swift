import Foundation
import GroupSMSModel

extension JobStore {
    /// Past sends of `numbers` since `since`, across all jobs, grouped by number. One query for
    /// the whole batch (`json_each` over the list), using the (number, sent_at) index.
    public func sendHistory(for numbers: [String], since: Date) throws -> [String: [SendRecord]] {
        guard !numbers.isEmpty else { return [:] }
        var history: [String: [SendRecord]] = [:]
        try connection.withStatement("""
            SELECT number, content_key, sent_at FROM send_history
            WHERE number IN (SELECT value FROM json_each(?)) AND sent_at > ?
            """, [.text(StoreJSON.encode(numbers)), .time(since)]) { statement in
            while try statement.step() {
                let row = statement.row
                history[row.text(0), default: []].append(SendRecord(contentKey: row.text(1), sentAt: row.date(2)))
            }
        }
        return history
    }

    /// Records sends made outside a chunk (e.g. another tool's); chunk sends are recorded by `claimChunk`.
    public func recordSends(of numbers: [String], contentKey: String, at date: Date, job: JobID? = nil) throws {
        try connection.transaction {
            for number in numbers {
                try connection.execute("INSERT INTO send_history(number, content_key, sent_at, job_id) VALUES (?, ?, ?, ?)",
                                       [.text(number), .text(contentKey), .time(date), .int64(job?.rawValue)])
            }
        }
    }

    /// What the frequency limits say for each of `numbers` now, against the shared history.
    public func frequencyDecisions(for numbers: [String], contentKey: String, limits: FrequencyLimits = .platform,
                                   maxDefer: TimeInterval) throws -> [String: FrequencyDecision] {
        let now = clock.now()
        let history = try sendHistory(for: numbers, since: now.addingTimeInterval(-limits.lookback))
        var decisions: [String: FrequencyDecision] = [:]
        for number in numbers {
            decisions[number] = limits.decide(history: history[number] ?? [], contentKey: contentKey, now: now,
                                              maxDefer: maxDefer)
        }
        return decisions
    }

    /// Deletes history older than `date` (no limit looks back further than 24 h); returns how many rows.
    @discardableResult
    public func pruneSendHistory(before date: Date) throws -> Int {
        try connection.transaction {
            try connection.execute("DELETE FROM send_history WHERE sent_at < ?", [.time(date)])
        }
    }
}
