import Foundation
import GroupSMSModel
import Synchronization

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
    public nonisolated func receiveStatusReports(_ reports: [StatusReport]) async throws -> StatusReportIngest {
        let call = WaitingReports(reports: reports, applying: false)
        guard let summary = try await joinReportGroup(call, waitingAtMost: nil) else { throw CancellationError() }
        return StatusReportIngest(stored: summary.stored, duplicates: summary.duplicates)
    }

    /// The receiver's entry point: stores and applies the reports of one request like
    /// `applyStatusReports`, in a group commit with every other request waiting at that moment.
    /// Returns once they are committed; then answer `StatusReportParser.successAnswer`.
    public nonisolated func receiveAndApplyStatusReports(_ reports: [StatusReport]) async throws -> StatusReportBatchSummary {
        let call = WaitingReports(reports: reports, applying: true)
        guard let summary = try await joinReportGroup(call, waitingAtMost: nil) else { throw CancellationError() }
        return summary
    }

    /// `receiveAndApplyStatusReports` for a receiver that must answer promptly even when the
    /// store cannot take the reports at once (another connection holds the write lock, or a long
    /// transaction runs): returns nil, with nothing of this call stored, when the group commit has
    /// not begun taking it `wait` after the call. The call is withdrawn only while it waits; once
    /// a commit holds the write lock and took it, the call returns that commit's result or error.
    ///
    /// `malformedEntries` (entries of the request refused by the parser) is added to the data
    /// dir's count in the same commit; `heldLimit` caps the reports held for unknown message ids.
    public nonisolated func receiveAndApplyStatusReports(
        _ reports: [StatusReport], malformedEntries: Int, heldLimit: HeldReportLimit = .standard,
        waitingAtMost wait: Duration
    ) async throws -> StatusReportBatchSummary? {
        let call = WaitingReports(reports: reports, applying: true, malformedEntries: malformedEntries,
                                  heldLimit: heldLimit)
        return try await joinReportGroup(call, waitingAtMost: wait)
    }

    private nonisolated func joinReportGroup(_ call: WaitingReports, waitingAtMost wait: Duration?) async throws
        -> StatusReportBatchSummary? {
        try await withCheckedThrowingContinuation { continuation in
            call.ticket.open(continuation, withdrawingAfter: wait)
            // Enqueued from outside the actor, so a caller with a wait is not stuck behind a
            // transaction that waits for the write lock: its timer withdraws it meanwhile.
            Task { await self.enqueue(call) }
        }
    }

    private func enqueue(_ call: WaitingReports) {
        waitingReports.append(call)
        if !reportCommitScheduled {
            reportCommitScheduled = true
            // Runs after the calls already queued on this actor, which join the same group.
            Task { self.commitWaitingReports() }
        }
    }

    private func commitWaitingReports() {
        let group = waitingReports.filter(\.ticket.isWaiting)
        waitingReports = []
        reportCommitScheduled = false
        guard !group.isEmpty else { return }
        do {
            let results = try connection.transaction { () throws -> [(WaitingReports, StatusReportBatchSummary)] in
                // The write lock is held now: calls not withdrawn meanwhile are taken, for good.
                let calls = group.filter { $0.ticket.take() }
                var context = ReportApplyContext(now: nowMilliseconds, calls: calls.count)
                context.heldLimit = calls.compactMap(\.heldLimit).reduce(nil) { $0?.tightest($1) ?? $1 }
                for (index, call) in calls.enumerated() {
                    context.current = index
                    context.malformed += call.malformedEntries
                    if call.applying {
                        try ingestReports(call.reports, into: &context)
                    } else {
                        let ingest = try insertReports(call.reports)
                        context.summaries[index].received = call.reports.count
                        context.summaries[index].stored = ingest.stored
                        context.summaries[index].duplicates = ingest.duplicates
                    }
                }
                try finish(context)
                return Array(zip(calls, context.summaries))
            }
            for (call, summary) in results { call.ticket.finish(.success(summary)) }
        } catch {
            for call in group { call.ticket.finish(.failure(error)) }
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
struct WaitingReports: Sendable {
    let reports: [StatusReport]
    /// Store and apply (`receiveAndApplyStatusReports`), or only store (`receiveStatusReports`).
    let applying: Bool
    var malformedEntries = 0
    var heldLimit: HeldReportLimit?
    let ticket = ReportCommitTicket()
}

/// A group-commit call's continuation, resumed exactly once: with nil when its timer withdraws
/// it before a commit took it, else with the commit's result.
final class ReportCommitTicket: Sendable {
    private typealias Continuation = CheckedContinuation<StatusReportBatchSummary?, any Error>
    private struct State {
        var continuation: Continuation?
        var taken = false
        var timer: Task<Void, Never>?
    }
    private let state = Mutex(State())

    /// Neither withdrawn nor finished.
    var isWaiting: Bool { state.withLock { $0.continuation != nil && !$0.taken } }

    func open(_ continuation: CheckedContinuation<StatusReportBatchSummary?, any Error>, withdrawingAfter wait: Duration?) {
        let timer = wait.map { wait in
            Task { [self] in
                do { try await Task.sleep(for: wait) } catch { return }
                withdraw()
            }
        }
        state.withLock {
            $0.continuation = continuation
            $0.timer = timer
        }
    }

    /// Claims the call for the commit that holds the write lock; false when it was withdrawn.
    func take() -> Bool {
        state.withLock { state in
            guard state.continuation != nil, !state.taken else { return false }
            state.taken = true
            return true
        }
    }

    func finish(_ result: Result<StatusReportBatchSummary, any Error>) {
        let continuation = state.withLock { state -> Continuation? in
            state.timer?.cancel()
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result.map { $0 })
    }

    private func withdraw() {
        let continuation = state.withLock { state -> Continuation? in
            guard !state.taken else { return nil }
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: nil)
    }
}
