import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    // MARK: - Inside a transaction

    /// Stores `reports` and applies each new one (as the SQLite store's `ingestReports`): a
    /// report already stored (same smsMsgId, sequence, status and updateTime) is a duplicate and
    /// changes nothing; one whose smsMsgId no number has is held. The numbers reported on are
    /// locked first, in id order (`lockTargets`).
    func ingestReports(_ reports: [StatusReport], into context: inout PostgresReportContext,
                       on connection: PostgresConnection) async throws {
        context.summary.received += reports.count
        try await lockTargets(of: reports.map(\.smsMsgId), into: &context, on: connection)
        for report in reports {
            let target = try await reportTarget(forMessage: report.smsMsgId, context: &context, on: connection)
            guard let id = try await insertReport(report, flag: target == nil ? .held : .applied, at: context.now,
                                                  on: connection) else {
                context.summary.duplicates += 1
                continue
            }
            context.summary.stored += 1
            if try await process(report, id: id, target: target, flag: target == nil ? .held : .applied,
                                 context: &context, on: connection) {
                context.summary.applied += 1
            } else {
                context.heldHere.insert(id)
                context.summary.unknown += 1
                context.unknownSample = context.unknownSample ?? report.smsMsgId
            }
        }
    }

    /// Applies one stored report whose row is flagged `flag`; false when no number has its
    /// smsMsgId (nor does its `extend` confirm one), in which case the row stays held.
    func process(_ report: StatusReport, id: Int64, target: PostgresReportTarget?, flag: PostgresReportFlag,
                 context: inout PostgresReportContext, on connection: PostgresConnection) async throws -> Bool {
        var target = target
        var assignedMessageID = false
        // With a known number and a `to`, the report can only confirm that same number: skip the lookup.
        if let extend = report.extend, target == nil || report.to == nil {
            let confirmed = try await confirmChunk(named: extend, to: report.to,
                                                   assigning: target == nil ? report.smsMsgId : nil,
                                                   context: &context, on: connection)
            if target == nil, let confirmed {
                target = confirmed
                assignedMessageID = true
            }
        }
        guard let target else { return false }
        if flag != .applied {
            try await connection.run("UPDATE status_reports SET applied = \(PostgresReportFlag.applied.rawValue) WHERE id = \(id)",
                                       logger: self.connection.logger)
            context.resolvedHeld.insert(id)
        }
        try await apply(report, to: target, context: &context, on: connection)
        if assignedMessageID {
            try await resolveHeldReports(forMessage: report.smsMsgId, excluding: id, context: &context, on: connection)
        }
        return true
    }

    /// Moves the number forward by what its message's reports now say (awaiting → failed →
    /// delivered, never back), as the SQLite store's `apply`.
    private func apply(_ report: StatusReport, to target: PostgresReportTarget, context: inout PostgresReportContext,
                       on connection: PostgresConnection) async throws {
        let classifier = options.reportClassifier
        let verdict = classifier.verdict(for: report.status)
        if case .failed(.optedOut) = verdict {
            // The number's own refusal, whatever this message's fate: suppressed in every arrival order.
            try await suppress(target, status: report.status, reason: classifier.description(for: report.status),
                               context: &context, on: connection)
        }
        // DELIVRD is final; numbers failed before delivery (submit, local) take no reports.
        guard target.state == .accepted || (target.state == .failed && target.stage == FailureStage.delivery.rawValue) else {
            return
        }
        let outcome: MessageDeliveryOutcome
        if target.state == .accepted, (report.total ?? 1) <= 1 {
            // The common case: the first final report of a one-part message decides alone.
            switch verdict {
            case .delivered: outcome = .delivered
            case .failed(let failureClass): outcome = .failed(status: report.status, failureClass: failureClass)
            case .interim: return
            }
        } else {
            let reports = try await storedReports(forMessage: report.smsMsgId, on: connection)
            outcome = MessageDeliveryRules.outcome(of: reports, classifier: classifier)
        }
        let now = context.now, logger = self.connection.logger
        switch outcome {
        case .awaiting:
            return  // a local EXPIRED stands until a real report decides
        case .delivered:
            try await connection.run("""
                UPDATE numbers SET state = 'delivered', failure_class = NULL, stage = NULL, code = NULL,
                    description = NULL, report_at = \(now), updated_at = \(now) WHERE id = \(target.id)
                """, logger: logger)
            context.summary.delivered += 1
            context.targets[report.smsMsgId]?.settle(.delivered, code: nil)
        case .failed(let status, let failureClass):
            if target.state == .failed, target.code == status { return }
            try await connection.run("""
                UPDATE numbers SET state = 'failed', failure_class = \(failureClass.rawValue), stage = 'delivery',
                    code = \(status), description = \(classifier.description(for: status)), report_at = \(now),
                    updated_at = \(now) WHERE id = \(target.id)
                """, logger: logger)
            context.summary.failed += 1
            context.targets[report.smsMsgId]?.settle(.failed, code: status)
        }
    }

    private func suppress(_ target: PostgresReportTarget, status: String, reason: String,
                          context: inout PostgresReportContext, on connection: PostgresConnection) async throws {
        let added = try await connection.run("""
            INSERT INTO suppression(number, code, reason, added_at, source_job_id)
            VALUES (\(target.e164), \(status), \(reason), \(context.now), \(target.jobID))
            ON CONFLICT DO NOTHING RETURNING number
            """, logger: self.connection.logger).collect()
        guard !added.isEmpty else { return }
        context.summary.suppressed += 1
        context.suppressions[target.jobID, default: [:]][status, default: 0] += 1
    }

    /// Stores one report; its row id, or nil when the same report was stored before.
    private func insertReport(_ report: StatusReport, flag: PostgresReportFlag, at now: Int64,
                              on connection: PostgresConnection) async throws -> Int64? {
        let rows = try await connection.run("""
            INSERT INTO status_reports(received_at, sms_msg_id, status, total, sequence, source, update_time, org_code,
                extend, recipient, applied)
            VALUES (\(now), \(report.smsMsgId), \(report.status), \(report.total.map(Int64.init)),
                \(report.sequence.map(Int64.init)), \(report.source), \(report.updateTime), \(report.orgCode),
                \(report.extend), \(report.to), \(flag.rawValue))
            ON CONFLICT DO NOTHING RETURNING id
            """, logger: self.connection.logger).collect()
        return try rows.first?.decode(Int64.self)
    }

    /// Every stored report of a message (all parts of a long one).
    private func storedReports(forMessage smsMsgId: String, on connection: PostgresConnection) async throws -> [StatusReport] {
        var reports: [StatusReport] = []
        let rows = try await connection.run("""
            SELECT status, total, sequence, update_time FROM status_reports WHERE sms_msg_id = \(smsMsgId)
            """, logger: self.connection.logger)
        for try await (status, total, sequence, updateTime) in rows.decode((String, Int64?, Int64?, String?).self) {
            reports.append(StatusReport(smsMsgId: smsMsgId, status: status, total: total.map(Int.init),
                                        sequence: sequence.map(Int.init), updateTime: updateTime))
        }
        return reports
    }

    /// Writes what the transaction's reports did to the logs and the store's counters, and drops
    /// the oldest held reports beyond the context's `heldLimit` when it held new ones.
    func finish(_ context: PostgresReportContext, on connection: PostgresConnection) async throws {
        if context.malformed > 0 { try await bumpCounter(Self.malformedCounterKey, by: context.malformed, on: connection) }
        let unknown = context.summary.unknown
        if unknown > 0 {
            try await bumpCounter(Self.unknownCounterKey, by: unknown, on: connection)
            let sample = context.unknownSample.map { " (e.g. \($0))" } ?? ""
            try await logStoreEvent(.unknownReports, at: context.now,
                                    "\(unknown) status report\(unknown == 1 ? "" : "s") for a message id no job here has"
                                    + "\(sample); kept, and applied if a job records that id later", on: connection)
            if let limit = context.heldLimit { try await dropHeldReports(beyond: limit, now: context.now, on: connection) }
        }
        for (job, confirmation) in context.confirmations.sorted(by: { $0.key < $1.key }) {
            let chunks = confirmation.chunks.sorted().map(String.init).joined(separator: ", ")
            try await logEvent(JobID(job), .confirmed, "status reports confirmed \(confirmation.numbers) unconfirmed "
                               + "numbers of chunk \(chunks) as accepted", on: connection)
        }
        for (job, codes) in context.suppressions.sorted(by: { $0.key < $1.key }) {
            let total = codes.values.reduce(0, +)
            let detail = codes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            try await logEvent(JobID(job), .suppressed, "\(total) numbers added to the suppression list by opted-out "
                               + "status reports (\(detail))", on: connection)
        }
    }
}

/// The `status_reports.applied` values, as in the SQLite store.
enum PostgresReportFlag: Int64 {
    /// Applied to its number.
    case applied = 1
    /// No number had its smsMsgId when processed; waiting for one.
    case held = 2
}
