import Foundation
import GroupSMSModel

extension JobStore {
    /// Stores status reports and applies them to their numbers in one transaction: what a
    /// receiver does with one request when it does not need group commit.
    ///
    /// Idempotent: a report already stored is a duplicate and changes nothing, and a number's
    /// state is a function of all its message's reports (see `MessageDeliveryRules`), moving only
    /// forward (awaiting → failed → delivered). Opted-out statuses put the number on the
    /// suppression list. A report for an unknown smsMsgId is counted, logged in the data dir's
    /// log and held; an `extend` naming one of this data dir's chunks confirms its unconfirmed
    /// numbers (the one whose number is the report's `to`, when there is a `to`).
    public func applyStatusReports(_ reports: [StatusReport]) throws -> StatusReportBatchSummary {
        try connection.transaction {
            var context = ReportApplyContext(now: nowMilliseconds, calls: 1)
            try ingestReports(reports, into: &context)
            try finish(context)
            return context.summaries[0]
        }
    }

    /// Reports stored by `storeStatusReports` but not processed yet, applied like
    /// `applyStatusReports` applies new ones (oldest first, at most `limit`).
    public func applyStoredStatusReports(limit: Int = 1000) throws -> StatusReportBatchSummary {
        try connection.transaction {
            var context = ReportApplyContext(now: nowMilliseconds, calls: 1)
            let pending = try connection.query("""
                SELECT \(Self.reportColumns) FROM status_reports WHERE applied = 0 ORDER BY id LIMIT ?
                """, [.int(limit)], Self.storedReport)
            for stored in pending {
                context.summaries[0].received += 1
                let target = try reportTarget(forMessage: stored.report.smsMsgId)
                if try process(stored.report, id: stored.id, target: target, flag: .unprocessed, context: &context) {
                    context.summaries[0].applied += 1
                } else {
                    context.heldOwners[stored.id] = 0
                    context.summaries[0].unknown += 1
                    context.unknownSample = context.unknownSample ?? stored.report.smsMsgId
                }
            }
            try finish(context)
            return context.summaries[0]
        }
    }

    // MARK: - Inside a transaction

    /// Stores `reports` as call `context.current` and applies each new one.
    func ingestReports(_ reports: [StatusReport], into context: inout ReportApplyContext) throws {
        let call = context.current
        context.summaries[call].received += reports.count
        let insert = try connection.statement("""
            INSERT OR IGNORE INTO status_reports(received_at, sms_msg_id, status, total, sequence, source,
                update_time, org_code, extend, recipient, applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { insert.reset() }
        for report in reports {
            let target = try reportTarget(forMessage: report.smsMsgId)
            try insert.bind([.integer(context.now), .text(report.smsMsgId), .text(report.status), .int(report.total),
                             .int(report.sequence), .string(report.source), .string(report.updateTime),
                             .string(report.orgCode), .string(report.extend), .string(report.to),
                             .integer(target == nil ? 2 : 1)])
            try insert.run()
            insert.reset()
            guard connection.lastChanges == 1 else {
                context.summaries[call].duplicates += 1
                continue
            }
            context.summaries[call].stored += 1
            let id = connection.lastInsertRowID
            if try process(report, id: id, target: target, flag: target == nil ? .held : .applied, context: &context) {
                context.summaries[call].applied += 1
            } else {
                context.heldOwners[id] = call
                context.summaries[call].unknown += 1
                context.unknownSample = context.unknownSample ?? report.smsMsgId
            }
        }
    }

    /// Applies one stored report whose row is flagged `flag`; false when no number has its
    /// smsMsgId, in which case the row is left held.
    func process(_ report: StatusReport, id: Int64, target: ReportTarget?, flag: StoredReportFlag,
                 context: inout ReportApplyContext) throws -> Bool {
        var target = target
        var assignedMessageID = false
        // With a known number and a `to`, the report can only confirm that same number: skip the lookup.
        if let extend = report.extend, target == nil || report.to == nil {
            let confirmed = try confirmChunk(named: extend, to: report.to,
                                             assigning: target == nil ? report.smsMsgId : nil, context: &context)
            if target == nil, let confirmed {
                target = confirmed
                assignedMessageID = true
            }
        }
        guard let target else {
            if flag == .unprocessed { try setReportFlag(id, .held) }
            return false
        }
        if flag != .applied { try setReportFlag(id, .applied) }
        try apply(report, to: target, context: &context)
        if assignedMessageID { try resolveHeldReports(forMessage: report.smsMsgId, excluding: id, context: &context) }
        return true
    }

    /// Moves the number forward by what its message's reports now say.
    private func apply(_ report: StatusReport, to target: ReportTarget, context: inout ReportApplyContext) throws {
        let classifier = options.reportClassifier
        let verdict = classifier.verdict(for: report.status)
        if case .failed(.optedOut) = verdict {
            // The number's own refusal, whatever this message's fate: suppressed in every arrival order.
            try suppress(target, status: report.status, reason: classifier.description(for: report.status), context: &context)
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
            let reports = try connection.query("""
                SELECT status, total, sequence, update_time FROM status_reports WHERE sms_msg_id = ?
                """, [.text(report.smsMsgId)]) {
                StatusReport(smsMsgId: report.smsMsgId, status: $0.text(0), total: $0.optionalInt(1),
                             sequence: $0.optionalInt(2), updateTime: $0.optionalText(3))
            }
            outcome = MessageDeliveryRules.outcome(of: reports, classifier: classifier)
        }
        switch outcome {
        case .awaiting:
            return  // a local EXPIRED stands until a real report decides
        case .delivered:
            try connection.execute("""
                UPDATE numbers SET state = 'delivered', failure_class = NULL, stage = NULL, code = NULL,
                    description = NULL, report_at = ?, updated_at = ? WHERE id = ?
                """, [.integer(context.now), .integer(context.now), .integer(target.id)])
            context.summaries[context.current].delivered += 1
        case .failed(let status, let failureClass):
            if target.state == .failed, target.code == status { return }
            try connection.execute("""
                UPDATE numbers SET state = 'failed', failure_class = ?, stage = 'delivery', code = ?, description = ?,
                    report_at = ?, updated_at = ? WHERE id = ?
                """, [.text(failureClass.rawValue), .text(status), .text(classifier.description(for: status)),
                      .integer(context.now), .integer(context.now), .integer(target.id)])
            context.summaries[context.current].failed += 1
        }
    }

    private func suppress(_ target: ReportTarget, status: String, reason: String, context: inout ReportApplyContext) throws {
        let added = try connection.execute("""
            INSERT OR IGNORE INTO suppression(number, code, reason, added_at, source_job_id) VALUES (?, ?, ?, ?, ?)
            """, [.text(target.e164), .text(status), .text(reason), .integer(context.now), .integer(target.jobID)])
        guard added == 1 else { return }
        context.summaries[context.current].suppressed += 1
        context.suppressions[target.jobID, default: [:]][status, default: 0] += 1
    }

    /// The number that received `smsMsgId`, as much of it as applying a report needs.
    func reportTarget(forMessage smsMsgId: String) throws -> ReportTarget? {
        try connection.queryFirst("SELECT id, job_id, e164, state, stage, code FROM numbers WHERE sms_msg_id = ? LIMIT 1",
                                  [.text(smsMsgId)]) {
            ReportTarget(id: $0.int64(0), jobID: $0.int64(1), e164: $0.text(2),
                         state: NumberState(rawValue: $0.text(3)) ?? .failed, stage: $0.optionalText(4),
                         code: $0.optionalText(5))
        }
    }

    func setReportFlag(_ id: Int64, _ flag: StoredReportFlag) throws {
        try connection.execute("UPDATE status_reports SET applied = ? WHERE id = ?", [.integer(flag.rawValue), .integer(id)])
    }

    /// Writes what the transaction's reports did to the logs and the data dir's counters, and
    /// drops the oldest held reports beyond the context's `heldLimit` when it held new ones.
    func finish(_ context: ReportApplyContext) throws {
        if context.malformed > 0 { try bumpCounter(Self.malformedCounterKey, by: context.malformed) }
        let unknown = context.summaries.reduce(0) { $0 + $1.unknown }
        if unknown > 0 {
            try bumpCounter(Self.unknownCounterKey, by: unknown)
            let sample = context.unknownSample.map { " (e.g. \($0))" } ?? ""
            try logDataDirEvent(.unknownReports, at: context.now,
                                "\(unknown) status report\(unknown == 1 ? "" : "s") for a message id no job here has"
                                + "\(sample); kept, and applied if a job records that id later")
            if let limit = context.heldLimit { try dropHeldReports(beyond: limit, now: context.now) }
        }
        for (job, confirmation) in context.confirmations.sorted(by: { $0.key < $1.key }) {
            let chunks = confirmation.chunks.sorted().map(String.init).joined(separator: ", ")
            try logEvent(JobID(job), .confirmed, "status reports confirmed \(confirmation.numbers) unconfirmed numbers "
                         + "of chunk \(chunks) as accepted")
        }
        for (job, codes) in context.suppressions.sorted(by: { $0.key < $1.key }) {
            let total = codes.values.reduce(0, +)
            let detail = codes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            try logEvent(JobID(job), .suppressed, "\(total) numbers added to the suppression list by opted-out "
                         + "status reports (\(detail))")
        }
    }

    static let reportColumns = """
        id, received_at, sms_msg_id, status, total, sequence, source, update_time, org_code, extend, recipient, applied
        """

    static func storedReport(_ row: SQLiteRow) -> StoredStatusReport {
        StoredStatusReport(
            id: row.int64(0), receivedAt: row.date(1),
            report: StatusReport(smsMsgId: row.text(2), status: row.text(3), total: row.optionalInt(4),
                                 sequence: row.optionalInt(5), source: row.optionalText(6), updateTime: row.optionalText(7),
                                 orgCode: row.optionalText(8), extend: row.optionalText(9), to: row.optionalText(10)),
            applied: row.int64(11) == StoredReportFlag.applied.rawValue)
    }
}

/// The `status_reports.applied` values (schema version 2).
enum StoredReportFlag: Int64 {
    /// Stored, not processed yet.
    case unprocessed = 0
    /// Applied to its number.
    case applied = 1
    /// No number had its smsMsgId when processed; waiting for one.
    case held = 2
}

/// The number a report is about, as much as applying needs.
struct ReportTarget {
    var id: Int64
    var jobID: Int64
    var e164: String
    var state: NumberState
    var stage: String? = nil
    var code: String? = nil
}

/// One transaction's worth of report handling: a summary per call (group commit puts several
/// calls in one transaction) and what `finish` logs.
struct ReportApplyContext {
    let now: Int64
    var summaries: [StatusReportBatchSummary]
    /// The call whose reports are being handled.
    var current = 0
    /// Reports held in this transaction, by id, with the call that brought them.
    var heldOwners: [Int64: Int] = [:]
    var unknownSample: String?
    /// Confirmed numbers and chunk sequences per job.
    var confirmations: [Int64: (numbers: Int, chunks: Set<Int>)] = [:]
    /// Newly suppressed numbers per job and status.
    var suppressions: [Int64: [String: Int]] = [:]
    /// Entries the receiver refused as malformed in the requests of this transaction (counted only).
    var malformed = 0
    /// The cap on held reports to enforce in `finish`; nil leaves them as they are.
    var heldLimit: HeldReportLimit?

    init(now: Int64, calls: Int) {
        self.now = now
        summaries = Array(repeating: StatusReportBatchSummary(), count: calls)
    }
}
