import Foundation
import GroupSMSModel

extension JobStore {
    /// A report's `extend` names one of this data dir's chunks: the request reached the platform,
    /// so the chunk's unconfirmed numbers were accepted. With `to`, only the number it names is
    /// confirmed, and it takes `smsMsgId` so later reports find it; it is returned. Without `to`,
    /// every unconfirmed number of the chunk is confirmed (they get no message id until a report
    /// with their `to` arrives). Confirmed numbers count as accepted at the chunk's send, so their
    /// 72 h report window runs from the send, not from the confirmation.
    func confirmChunk(named tag: String, to recipient: String?, assigning smsMsgId: String?,
                      context: inout ReportApplyContext) throws -> ReportTarget? {
        guard let parsed = ChunkTag.parse(tag), parsed.instance == instanceTag,
              let chunk = try connection.queryFirst("""
                  SELECT id, job_id, seq, ifnull(request_started_at, created_at) FROM chunks WHERE extend_tag = ?
                  """, [.text(tag)], { (id: $0.int64(0), job: $0.int64(1), sequence: $0.int(2), sentAt: $0.int64(3)) })
        else { return nil }
        var confirmed: ReportTarget?
        var count = 0
        if let recipient {
            guard let smsMsgId else { return nil }
            // Also a number an earlier report without `to` confirmed (accepted, or expired since,
            // with no message id): this report gives it its id.
            // An unencoded `+` arrives as a space; numbers are stored in E.164 with their `+`.
            let digits = recipient.trimmingCharacters(in: .whitespaces)
            let e164 = digits.hasPrefix("+") ? digits : "+" + digits
            guard let found = try connection.queryFirst("""
                SELECT id, job_id, e164, state, stage, code FROM numbers
                WHERE chunk_id = ? AND e164 = ? AND sms_msg_id IS NULL
                    AND (state = 'unconfirmed' OR state = 'accepted' OR (state = 'failed' AND stage = 'delivery'))
                """, [.integer(chunk.id), .text(e164)], {
                ReportTarget(id: $0.int64(0), jobID: $0.int64(1), e164: $0.text(2),
                             state: NumberState(rawValue: $0.text(3)) ?? .failed, stage: $0.optionalText(4),
                             code: $0.optionalText(5))
            }) else { return nil }
            if found.state == .unconfirmed {
                try connection.execute("""
                    UPDATE numbers SET state = 'accepted', failure_class = NULL, stage = NULL, code = NULL,
                        description = NULL, sms_msg_id = ?, accepted_at = ?, updated_at = ? WHERE id = ?
                    """, [.text(smsMsgId), .integer(chunk.sentAt), .integer(context.now), .integer(found.id)])
                confirmed = ReportTarget(id: found.id, jobID: found.jobID, e164: found.e164, state: .accepted)
                count = 1
            } else {
                try connection.execute("UPDATE numbers SET sms_msg_id = ? WHERE id = ?", [.text(smsMsgId), .integer(found.id)])
                confirmed = found
            }
        } else {
            count = try connection.execute("""
                UPDATE numbers SET state = 'accepted', failure_class = NULL, stage = NULL, code = NULL, description = NULL,
                    accepted_at = ?, updated_at = ? WHERE chunk_id = ? AND state = 'unconfirmed'
                """, [.integer(chunk.sentAt), .integer(context.now), .integer(chunk.id)])
        }
        if count > 0 {
            context.summaries[context.current].confirmed += count
            context.confirmations[chunk.job, default: (0, [])].numbers += count
            context.confirmations[chunk.job, default: (0, [])].chunks.insert(chunk.sequence)
        }
        return confirmed
    }

    /// Applies the held reports of a message that just got its number.
    func resolveHeldReports(forMessage smsMsgId: String, excluding id: Int64, context: inout ReportApplyContext) throws {
        let held = try connection.query("""
            SELECT \(Self.reportColumns) FROM status_reports WHERE sms_msg_id = ? AND applied = 2 AND id != ? ORDER BY id
            """, [.text(smsMsgId), .integer(id)], Self.storedReport)
        for stored in held { try resolveHeld(stored, context: &context) }
    }

    /// After a chunk's numbers got message ids (an answer) or became unconfirmed: reports that
    /// arrived before that and were held are applied now. A report can overtake the answer that
    /// records its id, since the platform may push it before our answer is committed. One cheap
    /// check when nothing is held.
    func resolveHeldReports(forChunk chunkID: ChunkID) throws {
        guard try connection.scalarInt("SELECT EXISTS (SELECT 1 FROM status_reports WHERE applied = 2)") == 1 else { return }
        let tag = try connection.scalarText("SELECT extend_tag FROM chunks WHERE id = ?", [.integer(chunkID.rawValue)])
        var candidates = try connection.query("""
            SELECT r.id, r.received_at, r.sms_msg_id, r.status, r.total, r.sequence, r.source, r.update_time,
                r.org_code, r.extend, r.recipient, r.applied
            FROM numbers n JOIN status_reports r ON r.sms_msg_id = n.sms_msg_id
            WHERE n.chunk_id = ? AND n.sms_msg_id IS NOT NULL AND r.applied = 2
            """, [.integer(chunkID.rawValue)], Self.storedReport)
        if let tag {
            candidates += try connection.query("""
                SELECT \(Self.reportColumns) FROM status_reports WHERE extend = ? AND applied = 2
                """, [.text(tag)], Self.storedReport)
        }
        guard !candidates.isEmpty else { return }
        var context = ReportApplyContext(now: nowMilliseconds, calls: 1)
        var seen = Set<Int64>()
        for stored in candidates.sorted(by: { $0.id < $1.id }) where seen.insert(stored.id).inserted {
            // An earlier one may have applied it already (a confirmation resolves its message's reports).
            guard try connection.scalarInt("SELECT applied FROM status_reports WHERE id = ?", [.integer(stored.id)])
                    == StoredReportFlag.held.rawValue else { continue }
            try resolveHeld(stored, context: &context)
        }
        try finish(context)
    }

    private func resolveHeld(_ stored: StoredStatusReport, context: inout ReportApplyContext) throws {
        let target = try reportTarget(forMessage: stored.report.smsMsgId)
        guard try process(stored.report, id: stored.id, target: target, flag: .held, context: &context) else { return }
        if let owner = context.heldOwners.removeValue(forKey: stored.id) {
            context.summaries[owner].unknown -= 1
            context.summaries[owner].applied += 1
        } else {
            context.summaries[context.current].heldApplied += 1
        }
    }
}
