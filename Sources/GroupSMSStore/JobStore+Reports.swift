import Foundation
import GroupSMSModel

extension JobStore {
    /// Stores status reports as they arrived, in one transaction; a report already stored (same
    /// smsMsgId, sequence, status and updateTime) is counted as a duplicate and ignored, so a
    /// platform retry is harmless. Applying them to numbers is separate (`markStatusReportsApplied`).
    public func storeStatusReports(_ reports: [StatusReport]) throws -> StatusReportIngest {
        try connection.transaction { try insertReports(reports) }
    }

    /// Like `storeStatusReports`, but commits together with every other call waiting at that
    /// moment (group commit): a receiver answering many single-report requests at once pays one
    /// durable commit per group instead of one per request. Returns once this call's reports
    /// are committed, so the receiver may then answer 200.
    public func receiveStatusReports(_ reports: [StatusReport]) async throws -> StatusReportIngest {
        let summary = try await joinReportGroup(reports, applying: false)
        return StatusReportIngest(stored: summary.stored, duplicates: summary.duplicates)
    }

    /// The receiver's entry point: stores and applies the reports of one request like
    /// `applyStatusReports`, in a group commit with every other request waiting at that moment.
    /// Returns once they are committed; then answer `StatusReportParser.successAnswer`.
    public func receiveAndApplyStatusReports(_ reports: [StatusReport]) async throws -> StatusReportBatchSummary {
        try await joinReportGroup(reports, applying: true)
    }

    private func joinReportGroup(_ reports: [StatusReport], applying: Bool) async throws -> StatusReportBatchSummary {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<StatusReportBatchSummary, any Error>) in
            waitingReports.append(WaitingReports(reports: reports, applying: applying, continuation: continuation))
            if !reportCommitScheduled {
                reportCommitScheduled = true
                // Runs after the calls already queued on this actor, which join the same group.
                Task { self.commitWaitingReports() }
            }
        }
    }

    private func commitWaitingReports() {
        let group = waitingReports
        waitingReports = []
        reportCommitScheduled = false
        do {
            let results = try connection.transaction { () throws -> [StatusReportBatchSummary] in
                var context = ReportApplyContext(now: nowMilliseconds, calls: group.count)
                for (index, waiting) in group.enumerated() {
                    context.current = index
                    if waiting.applying {
                        try ingestReports(waiting.reports, into: &context)
                    } else {
                        let ingest = try insertReports(waiting.reports)
                        context.summaries[index].received = waiting.reports.count
                        context.summaries[index].stored = ingest.stored
                        context.summaries[index].duplicates = ingest.duplicates
                    }
                }
                try finish(context)
                return context.summaries
            }
            for (waiting, result) in zip(group, results) { waiting.continuation.resume(returning: result) }
        } catch {
            for waiting in group { waiting.continuation.resume(throwing: error) }
        }
    }

    private func insertReports(_ reports: [StatusReport]) throws -> StatusReportIngest {
        let now = nowMilliseconds
        var stored = 0
        let statement = try connection.statement("""
            INSERT OR IGNORE INTO status_reports(received_at, sms_msg_id, status, total, sequence, source,
                update_time, org_code, extend, recipient) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { statement.reset() }
        for report in reports {
            try statement.bind([.integer(now), .text(report.smsMsgId), .text(report.status), .int(report.total),
                                .int(report.sequence), .string(report.source), .string(report.updateTime),
                                .string(report.orgCode), .string(report.extend), .string(report.to)])
            try statement.run()
            statement.reset()
            stored += connection.lastChanges
        }
        return StatusReportIngest(stored: stored, duplicates: reports.count - stored)
    }

    /// Every stored report for a message, oldest first (all parts of a long message).
    public func statusReports(forMessage smsMsgId: String) throws -> [StoredStatusReport] {
        try connection.query("SELECT \(Self.reportColumns) FROM status_reports WHERE sms_msg_id = ? ORDER BY id",
                             [.text(smsMsgId)], Self.storedReport)
    }

    /// Reports stored but not processed yet (`storeStatusReports`, `receiveStatusReports`), oldest
    /// first; `applyStoredStatusReports` applies them. Held reports (unknown id) are not listed.
    public func unappliedStatusReports(limit: Int = 1000) throws -> [StoredStatusReport] {
        try connection.query("SELECT \(Self.reportColumns) FROM status_reports WHERE applied = 0 ORDER BY id LIMIT ?",
                             [.int(limit)], Self.storedReport)
    }

    /// Marks reports as applied.
    public func markStatusReportsApplied(_ ids: [Int64]) throws {
        try connection.transaction {
            for id in ids {
                try connection.execute("UPDATE status_reports SET applied = 1 WHERE id = ?", [.integer(id)])
            }
        }
    }
}

/// One `receiveStatusReports` or `receiveAndApplyStatusReports` call waiting for its group commit.
struct WaitingReports {
    let reports: [StatusReport]
    /// Store and apply (`receiveAndApplyStatusReports`), or only store (`receiveStatusReports`).
    let applying: Bool
    let continuation: CheckedContinuation<StatusReportBatchSummary, any Error>
}
