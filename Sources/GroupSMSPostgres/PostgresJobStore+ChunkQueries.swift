import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// The job's chunks in claim order (optionally only those in `state`), as `JobStore.chunks`.
    public func chunks(of id: JobID, state: ChunkState? = nil) async throws -> [ChunkRecord] {
        let rows = try await connection.query("""
            SELECT \(unescaped: PostgresChunkRows.columns) FROM chunks
            WHERE job_id = \(id.rawValue) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY seq
            """)
        return try rows.map(PostgresChunkRows.chunkRecord)
    }

    /// A page of the job's numbers in position order, optionally only those in `states`, as
    /// `JobStore.numbers`: pass the last position seen as `afterPosition` for the next page.
    public func numbers(of id: JobID, states: Set<NumberState>? = nil, afterPosition: Int = -1,
                        limit: Int = 10_000) async throws -> [NumberRecord] {
        let logger = connection.logger
        return try await transaction { connection in
            let files = try await loadJob(id, on: connection).sourceFiles
            let rows = try await connection.run("""
                SELECT \(unescaped: PostgresChunkRows.numberColumns) FROM numbers
                WHERE job_id = \(id.rawValue) AND position > \(Int64(afterPosition))
                    AND (\(states == nil) OR state = ANY(\(states.map { $0.map(\.rawValue) } ?? [])::text[]))
                ORDER BY position LIMIT \(Int64(limit))
                """, logger: logger).collect()
            return try rows.map { try PostgresChunkRows.numberRecord($0, files: files) }
        }
    }

    /// The number that received `smsMsgId`, if any (status reports find their number this way).
    public func number(withMessageID smsMsgId: String) async throws -> NumberRecord? {
        let logger = connection.logger
        return try await transaction { connection in
            let rows = try await connection.run("""
                SELECT \(unescaped: PostgresChunkRows.numberColumns) FROM numbers WHERE sms_msg_id = \(smsMsgId) LIMIT 1
                """, logger: logger).collect()
            guard let row = rows.first else { return nil }
            let job = try row.makeRandomAccess()[1].decode(Int64.self)
            return try PostgresChunkRows.numberRecord(row, files: try await loadJob(JobID(job), on: connection).sourceFiles)
        }
    }
}

/// How the PostgreSQL store reads chunk and number rows (the SQLite store's columns and values).
enum PostgresChunkRows {
    static let columns = """
        id, job_id, seq, extend_tag, state, size, created_at, request_started_at, answered_at, answer_code, answer_description
        """

    static func chunkRecord(_ row: PostgresRow) throws -> ChunkRecord {
        let cells = row.makeRandomAccess()
        func date(_ index: Int) throws -> Date? { try cells[index].decode(Int64?.self).map(StoreTime.date) }
        return ChunkRecord(
            id: ChunkID(try cells[0].decode(Int64.self)), jobID: JobID(try cells[1].decode(Int64.self)),
            sequence: Int(try cells[2].decode(Int64.self)), extendTag: try cells[3].decode(String.self),
            state: ChunkState(rawValue: try cells[4].decode(String.self)) ?? .unconfirmed,
            size: Int(try cells[5].decode(Int64.self)), createdAt: StoreTime.date(try cells[6].decode(Int64.self)),
            requestStartedAt: try date(7), answeredAt: try date(8), answerCode: try cells[9].decode(String?.self),
            answerDescription: try cells[10].decode(String?.self))
    }

    static let numberColumns = """
        id, job_id, position, file_index, cell, original, e164, state, failure_class, stage, code, description,
        chunk_id, sms_msg_id, deferred_until, accepted_at, report_at
        """

    static func numberRecord(_ row: PostgresRow, files: [String]) throws -> NumberRecord {
        let cells = row.makeRandomAccess()
        func text(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
        func int(_ index: Int) throws -> Int64? { try cells[index].decode(Int64?.self) }
        func date(_ index: Int) throws -> Date? { try int(index).map(StoreTime.date) }
        let fileIndex = try int(3).map(Int.init)
        return NumberRecord(
            id: try cells[0].decode(Int64.self), jobID: JobID(try cells[1].decode(Int64.self)),
            position: Int(try cells[2].decode(Int64.self)),
            sourceFile: fileIndex.flatMap { files.indices.contains($0) ? files[$0] : nil }, cell: try text(4),
            original: try text(5), e164: try text(6), state: NumberState(rawValue: try cells[7].decode(String.self)) ?? .failed,
            failureClass: try text(8).flatMap(FailureClass.init(rawValue:)),
            stage: try text(9).flatMap(FailureStage.init(rawValue:)), code: try text(10), description: try text(11),
            chunkID: try int(12).map(ChunkID.init), smsMsgId: try text(13), deferredUntil: try date(14),
            acceptedAt: try date(15), reportAt: try date(16))
    }
}
