import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// A report's `extend` names one of this store's chunks: the request reached the platform,
    /// so the chunk's unconfirmed numbers were accepted (as the SQLite store's `confirmChunk`).
    /// With `to`, only the number it names is confirmed, and it takes `smsMsgId` so later reports
    /// find it; it is returned. Without `to`, every unconfirmed number of the chunk is confirmed
    /// (they get no message id until a report with their `to` arrives). Confirmed numbers count
    /// as accepted at the chunk's send, so their 72 h report window runs from the send.
    func confirmChunk(named tag: String, to recipient: String?, assigning smsMsgId: String?,
                      context: inout PostgresReportContext, on connection: PostgresConnection) async throws
        -> PostgresReportTarget? {
        let logger = self.connection.logger
        guard let parsed = ChunkTag.parse(tag), parsed.instance == instanceTag,
              let chunk = try await connection.run("""
                  SELECT id, job_id, seq, COALESCE(request_started_at, created_at) FROM chunks WHERE extend_tag = \(tag)
                  """, logger: logger).collect().first?.decode((Int64, Int64, Int64, Int64).self)
        else { return nil }
        let (chunkID, jobID, sequence, sentAt) = chunk
        var confirmed: PostgresReportTarget?
        var count = 0
        if let recipient {
            guard let smsMsgId else { return nil }
            // Also a number an earlier report without `to` confirmed (accepted, or expired since,
            // with no message id): this report gives it its id. An unencoded `+` arrives as a
            // space; numbers are stored in E.164 with their `+`.
            let digits = recipient.trimmingCharacters(in: .whitespaces)
            let e164 = digits.hasPrefix("+") ? digits : "+" + digits
            guard let found = try await connection.run("""
                SELECT id, state, stage, code FROM numbers
                WHERE chunk_id = \(chunkID) AND e164 = \(e164) AND sms_msg_id IS NULL
                    AND (state = 'unconfirmed' OR state = 'accepted' OR (state = 'failed' AND stage = 'delivery'))
                FOR UPDATE
                """, logger: logger).collect().first?.decode((Int64, String, String?, String?).self)
            else { return nil }
            var target = PostgresReportTarget(id: found.0, jobID: jobID, e164: e164,
                                              state: NumberState(rawValue: found.1) ?? .failed, stage: found.2, code: found.3)
            if target.state == .unconfirmed {
                try await connection.run("""
                    UPDATE numbers SET state = 'accepted', failure_class = NULL, stage = NULL, code = NULL,
                        description = NULL, sms_msg_id = \(smsMsgId), accepted_at = \(sentAt), updated_at = \(context.now)
                    WHERE id = \(target.id)
                    """, logger: logger)
                target = PostgresReportTarget(id: target.id, jobID: jobID, e164: e164, state: .accepted)
                count = 1
            } else {
                try await connection.run("UPDATE numbers SET sms_msg_id = \(smsMsgId) WHERE id = \(target.id)", logger: logger)
            }
            context.targets[smsMsgId] = target
            confirmed = target
        } else {
            count = try await connection.run("""
                UPDATE numbers SET state = 'accepted', failure_class = NULL, stage = NULL, code = NULL, description = NULL,
                    accepted_at = \(sentAt), updated_at = \(context.now) WHERE chunk_id = \(chunkID) AND state = 'unconfirmed'
                RETURNING id
                """, logger: logger).collect().count
        }
        if count > 0 {
            context.summary.confirmed += count
            context.confirmations[jobID, default: (0, [])].numbers += count
            context.confirmations[jobID, default: (0, [])].chunks.insert(Int(sequence))
        }
        return confirmed
    }

    /// Applies the held reports of a message that just got its number.
    func resolveHeldReports(forMessage smsMsgId: String, excluding id: Int64, context: inout PostgresReportContext,
                            on connection: PostgresConnection) async throws {
        let held = try await connection.run(PostgresQuery(unsafeSQL: """
            SELECT \(PostgresReportRows.columns) FROM status_reports
            WHERE sms_msg_id = $1 AND applied = 2 AND id <> $2 ORDER BY id FOR UPDATE
            """, binds: Self.bindings(smsMsgId, id)), logger: self.connection.logger).collect()
        for row in held { try await resolveHeld(try PostgresReportRows.stored(row), context: &context, on: connection) }
    }

    /// After a chunk's numbers got message ids (an answer) or became unconfirmed: reports that
    /// arrived before that and were held are applied now (as the SQLite store's
    /// `resolveHeldReports(forChunk:)`). A report can overtake the answer that records its id,
    /// since the platform may push it before our answer is committed.
    ///
    /// Call it inside the transaction of every write that does so (`recordChunkAnswer`,
    /// `markChunkUnconfirmed`, the take-over's `settleInFlightChunks`), after its updates: it takes
    /// the held-reports lock shared first, so a receiver holding a report at that moment either
    /// committed before (and is found here) or looks again after this commits. One cheap check
    /// when nothing is held.
    func resolveHeldReports(forChunk chunkID: ChunkID, on connection: PostgresConnection) async throws {
        var context = PostgresReportContext(now: nowMilliseconds, heldLimit: nil)
        try await shareHeldReportsLock(&context, on: connection)
        let logger = self.connection.logger
        guard try await connection.run("SELECT EXISTS (SELECT 1 FROM status_reports WHERE applied = 2)", logger: logger)
            .collect().first?.decode(Bool.self) == true else { return }
        let byMessage = try await connection.run(PostgresQuery(unsafeSQL: """
            SELECT \(PostgresReportRows.columns("r")) FROM numbers n JOIN status_reports r ON r.sms_msg_id = n.sms_msg_id
            WHERE n.chunk_id = $1 AND n.sms_msg_id IS NOT NULL AND r.applied = 2 ORDER BY r.id FOR UPDATE OF r
            """, binds: Self.binds(chunkID.rawValue)), logger: logger).collect()
        let byTag = try await connection.run(PostgresQuery(unsafeSQL: """
            SELECT \(PostgresReportRows.columns) FROM status_reports
            WHERE extend = (SELECT extend_tag FROM chunks WHERE id = $1) AND applied = 2 ORDER BY id FOR UPDATE
            """, binds: Self.binds(chunkID.rawValue)), logger: logger).collect()
        let candidates = try (byMessage + byTag).map(PostgresReportRows.stored).sorted { $0.id < $1.id }
        guard !candidates.isEmpty else { return }
        var seen = Set<Int64>()
        // An earlier one may have applied a later one already (a confirmation resolves its message's reports).
        for stored in candidates where seen.insert(stored.id).inserted && !context.resolvedHeld.contains(stored.id) {
            try await resolveHeld(stored, context: &context, on: connection)
        }
        try await finish(context, on: connection)
    }

    private func resolveHeld(_ stored: (id: Int64, report: StatusReport), context: inout PostgresReportContext,
                             on connection: PostgresConnection) async throws {
        let target = try await reportTarget(forMessage: stored.report.smsMsgId, context: &context, on: connection)
        guard try await process(stored.report, id: stored.id, target: target, flag: .held, context: &context,
                                on: connection) else { return }
        if context.heldHere.remove(stored.id) != nil {
            context.summary.unknown -= 1
            context.summary.applied += 1
        } else {
            context.summary.heldApplied += 1
        }
    }

    static func bindings(_ text: String, _ number: Int64) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(text)
        bindings.append(number)
        return bindings
    }
}

/// Stored status reports as the PostgreSQL store reads them back.
enum PostgresReportRows {
    static let columns = columns(nil)

    /// The columns `stored` reads, of table alias `table` when given.
    static func columns(_ table: String?) -> String {
        let prefix = table.map { $0 + "." } ?? ""
        return ["id", "sms_msg_id", "status", "total", "sequence", "source", "update_time", "org_code", "extend", "recipient"]
            .map { prefix + $0 }.joined(separator: ", ")
    }

    static func stored(_ row: PostgresRow) throws -> (id: Int64, report: StatusReport) {
        let (id, messageID, status, total, sequence, source, updateTime, orgCode, extend, recipient) = try row.decode(
            (Int64, String, String, Int64?, Int64?, String?, String?, String?, String?, String?).self)
        return (id, StatusReport(smsMsgId: messageID, status: status, total: total.map(Int.init),
                                 sequence: sequence.map(Int.init), source: source, updateTime: updateTime,
                                 orgCode: orgCode, extend: extend, to: recipient))
    }
}
