import Foundation
import GroupSMSModel
import GroupSMSStore
import Logging
import PostgresNIO

extension PostgresJobStore {
    /// The receiver's entry point (as `JobStore.receiveAndApplyStatusReports`): stores and
    /// applies one request's reports in one transaction, and adds `malformedEntries` to the
    /// store's count in it. Returns once they are committed; then answer
    /// `StatusReportParser.successAnswer`.
    ///
    /// A report for a job another daemon runs is applied here too: applying needs no lease. The
    /// transaction locks the numbers it reports on in id order before changing any, so receivers
    /// running at once take them in one order, and a report that overtakes the answer recording
    /// its message id is held under the held-reports lock (see `lockHeldReports`) so that answer
    /// applies it. A deadlock the server breaks anyway is retried.
    ///
    /// PostgreSQL has no single write lock to queue for, so `wait` bounds the whole call: getting
    /// a connection, every lock wait and statement (`lock_timeout`, `statement_timeout`), and the
    /// work before COMMIT. Past it the transaction rolls back and the call returns nil with
    /// nothing stored, for the receiver to journal the request instead.
    public func receiveAndApplyStatusReports(_ reports: [StatusReport], malformedEntries: Int,
                                             heldLimit: HeldReportLimit = .standard,
                                             waitingAtMost wait: Duration) async throws -> StatusReportBatchSummary? {
        try await reportTransaction(until: .now + wait) { connection in
            var context = PostgresReportContext(now: nowMilliseconds, heldLimit: heldLimit)
            context.malformed = malformedEntries
            try await ingestReports(reports, into: &context, on: connection)
            try await finish(context, on: connection)
            return context.summary
        }
    }

    // MARK: - Transactions of report handling

    /// How often a report transaction the server aborted to break a deadlock is tried again.
    static let reportAttempts = 5

    /// Runs `body` in one transaction, again (up to `reportAttempts` times) when the server broke
    /// a deadlock by aborting it. With `deadline`: nil, with everything rolled back, when the
    /// deadline passes before COMMIT, or when a lock wait or statement runs out the time left.
    func reportTransaction<Result: Sendable>(until deadline: ContinuousClock.Instant?,
                                             _ body: (PostgresConnection) async throws -> Result) async throws -> Result? {
        var attempt = 1
        while true {
            do {
                return try await reportTransactionOnce(until: deadline, body)
            } catch let error as PostgresStoreError {
                let retryable = Self.retryableStates.contains(error.sqlState ?? "")
                if retryable, attempt < Self.reportAttempts, deadline.map({ .now < $0 }) ?? true {
                    attempt += 1
                    continue
                }
                if deadline != nil, Self.outOfTimeStates.contains(error.sqlState ?? "") { return nil }
                throw error
            }
        }
    }

    private func reportTransactionOnce<Result: Sendable>(until deadline: ContinuousClock.Instant?,
                                                         _ body: (PostgresConnection) async throws -> Result)
        async throws -> Result? {
        let logger = connection.logger
        do {
            return try await onPooledConnection { connection -> Result? in
                if let deadline, Self.milliseconds(until: deadline) < 1 { return nil }
                return try await connection.inTransaction(logger: logger) { connection -> Result? in
                    try await Self.callersOwn {
                        if let deadline { try await Self.limitWaits(until: deadline, on: connection, logger: logger) }
                        let result = try await body(connection)
                        if let deadline, Self.milliseconds(until: deadline) < 1 { throw ReportWaitExceeded() }
                        return result
                    }
                }
            }
        } catch is ReportWaitExceeded {
            return nil
        }
    }

    /// Deadlock detected, serialization failure: the server aborted the transaction, which may
    /// simply run again.
    private static let retryableStates: Set<String> = ["40P01", "40001"]
    /// A lock wait (`lock_timeout`) or a statement (`statement_timeout`) ran out of time.
    private static let outOfTimeStates: Set<String> = ["55P03", "57014"]

    /// Bounds every lock wait and statement of the transaction by the time left until `deadline`.
    private static func limitWaits(until deadline: ContinuousClock.Instant, on connection: PostgresConnection,
                                   logger: Logger) async throws {
        let limit = "\(max(1, milliseconds(until: deadline)))ms"
        try await connection.run("""
            SELECT set_config('lock_timeout', \(limit), true), set_config('statement_timeout', \(limit), true)
            """, logger: logger)
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int64 {
        let (seconds, attoseconds) = (deadline - .now).components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// The deadline of a receiver's call passed before its transaction could commit.
private struct ReportWaitExceeded: Error {}
