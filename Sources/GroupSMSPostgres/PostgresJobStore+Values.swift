import Foundation
import GroupSMSModel
import GroupSMSStore
import Logging
import PostgresNIO

extension PostgresJobStore {
    /// Writes a personalised draft's tuples (each once, with its content key) and its header in
    /// the job's own transaction, as `JobStore.insertValueSets`; the numbers name their tuple in
    /// `value_set` (`JobDraftRules` checked their count).
    func insertValueSets(_ draft: JobDraft, job: JobID, on connection: PostgresConnection) async throws {
        guard let values = draft.values else { return }
        let logger = self.connection.logger
        try await connection.run("""
            UPDATE jobs SET variables_header = \(PostgresJobRows.valuesJSON(values.header)) WHERE id = \(job.rawValue)
            """, logger: logger)
        var copy = ValueSetCopy(job: job)
        for index in 0..<values.valueSets.count {
            let params = values.valueSets.values(at: index)
            copy.append(index: index, params: params,
                        contentKey: ContentKey.make(templateID: draft.templateID, params: params, signature: draft.signature))
            if copy.count == Self.insertBatch {
                try await copy.insert(on: connection, logger: logger)
                copy = ValueSetCopy(job: job)
            }
        }
        try await copy.insert(on: connection, logger: logger)
    }

    /// The value columns' header of a personalised job, or nil.
    public func variablesHeader(of job: JobID) async throws -> [String]? {
        let rows = try await connection.query("SELECT variables_header FROM jobs WHERE id = \(job.rawValue)")
        return try rows.first?.decode(String?.self).map(PostgresJobRows.strings)
    }

    /// Reads the tuples of `candidates` this claim has not read yet.
    func loadValueSets(of candidates: [PostgresQueuedNumber], into work: inout PostgresClaimWork,
                       on connection: PostgresConnection) async throws {
        let missing = Array(Set(candidates.compactMap(\.valueSet)).subtracting(work.valueSets.keys))
        guard !missing.isEmpty else { return }
        let rows = try await connection.run("""
            SELECT set_index, paras, content_key FROM job_value_sets
            WHERE job_id = \(work.job.id.rawValue) AND set_index = ANY(\(missing)::bigint[])
            """, logger: self.connection.logger)
        for try await (index, paras, key) in rows.decode((Int64, String, String).self) {
            work.valueSets[index] = PostgresValueSet(params: PostgresJobRows.strings(paras), contentKey: key)
        }
    }

    /// Writes the draft's estimate inside the job's own transaction, as `JobStore.insertEstimate`.
    func insertEstimate(_ estimate: Estimate?, job: JobID, on connection: PostgresConnection) async throws {
        guard let estimate else { return }
        try await connection.run("""
            INSERT INTO job_estimates(job_id, estimate) VALUES (\(job.rawValue), \(try estimate.jsonText()))
            """, logger: self.connection.logger)
    }

    /// The estimate `job` was created with, if one was given; a stored text no build could have
    /// written is refused, not ignored.
    func storedEstimate(of job: JobID, on connection: PostgresConnection) async throws -> Estimate? {
        let rows = try await connection.run("SELECT estimate FROM job_estimates WHERE job_id = \(job.rawValue)",
                                              logger: self.connection.logger).collect()
        guard let text = try rows.first?.decode(String.self) else { return nil }
        do {
            return try JSONDecoder().decode(Estimate.self, from: Data(text.utf8))
        } catch {
            throw StoreError.invalidInput("the stored estimate of job \(job) cannot be read: \(error)")
        }
    }
}

/// A batch of a personalised job's tuples as the rows of a `COPY job_value_sets FROM STDIN`:
/// a million distinct tuples are a million rows.
private struct ValueSetCopy {
    private var rows: [UInt8] = []
    private(set) var count = 0
    private let job: [UInt8]

    init(job: JobID) {
        self.job = Array(String(job.rawValue).utf8)
    }

    mutating func append(index: Int, params: [String], contentKey: String) {
        let tab = UInt8(ascii: "\t")
        rows.append(contentsOf: job)
        rows.append(tab)
        rows.appendCopyDecimal(index)
        rows.append(tab)
        rows.appendCopyEscaped(PostgresJobRows.valuesJSON(params))
        rows.append(tab)
        rows.appendCopyEscaped(contentKey)
        rows.append(UInt8(ascii: "\n"))
        count += 1
    }

    func insert(on connection: PostgresConnection, logger: Logger) async throws {
        guard count > 0 else { return }
        try await connection.guardedCopyFrom(table: "job_value_sets", columns: ["job_id", "set_index", "paras", "content_key"],
                                      logger: logger) { writer in
            try await writer.write(ByteBuffer(bytes: rows))
        }
    }
}
