import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// Everything `export-failed` needs for a job (as `JobStore.failedNumbers`): every failed
    /// (invalid, opted-out, retryable), unconfirmed and not-sent number in position order, with
    /// a personalised job's value header and each number's values. Read in one REPEATABLE READ
    /// transaction, so rows and values are of one moment. Call `expireOverdueReports()` first so
    /// numbers past the 72 h report window are listed as EXPIRED.
    public func failedNumbers(of id: JobID) async throws -> FailedNumberExport {
        let logger = connection.logger
        return try await transaction { connection in
            try await connection.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            let job = try await loadJob(id, on: connection)
            var rows = try await failedRows(of: job, on: connection)
            let header = try await connection.run("SELECT variables_header FROM jobs WHERE id = \(id.rawValue)",
                                                    logger: logger).collect().first?.decode(String?.self) ?? nil
            var export = FailedNumberExport(job: job, rows: [])
            export.variablesHeader = header.map(PostgresJobRows.strings)
            if export.variablesHeader != nil {
                let values = try await failedValues(of: id, on: connection)
                for index in rows.indices { rows[index].values = values[rows[index].position] }
            }
            export.rows = rows
            return export
        }
    }

    private func failedRows(of job: JobRecord, on connection: PostgresConnection) async throws -> [FailedNumberRow] {
        let rows = try await connection.run("""
            SELECT position, e164, original, state, failure_class, stage, code, description, updated_at, file_index, cell
            FROM numbers WHERE job_id = \(job.id.rawValue) AND state IN ('failed', 'unconfirmed', 'not-sent')
            ORDER BY position
            """, logger: self.connection.logger)
        var result: [FailedNumberRow] = []
        for try await (position, e164, original, stateText, failureClass, stage, code, description, updatedAt, fileIndex, cell)
                in rows.decode((Int64, String?, String?, String, String?, String?, String?, String?, Int64?, Int64?,
                                String?).self) {
            let state = NumberState(rawValue: stateText) ?? .failed
            let file = fileIndex.map(Int.init)
            result.append(FailedNumberRow(
                position: Int(position), number: e164 ?? original ?? "", state: state,
                failureClass: failureClass.flatMap(FailureClass.init(rawValue:))
                    ?? (state == .unconfirmed ? .unconfirmed : .retryable),
                stage: stage.flatMap(FailureStage.init(rawValue:)),
                code: code ?? (state == .unconfirmed ? "UNCONFIRMED" : state.rawValue.uppercased()),
                description: description ?? "", time: updatedAt.map(StoreTime.date),
                sourceFile: file.flatMap { job.sourceFiles.indices.contains($0) ? job.sourceFiles[$0] : nil },
                cell: cell))
        }
        return result
    }

    /// The values of the job's listed numbers, by position.
    private func failedValues(of id: JobID, on connection: PostgresConnection) async throws -> [Int: [String]] {
        let rows = try await connection.run("""
            SELECT n.position, s.paras FROM numbers n
            JOIN job_value_sets s ON s.job_id = n.job_id AND s.set_index = n.value_set
            WHERE n.job_id = \(id.rawValue) AND n.state IN ('failed', 'unconfirmed', 'not-sent')
            """, logger: self.connection.logger)
        var values: [Int: [String]] = [:]
        for try await (position, paras) in rows.decode((Int64, String).self) {
            values[Int(position)] = PostgresJobRows.strings(paras)
        }
        return values
    }
}
