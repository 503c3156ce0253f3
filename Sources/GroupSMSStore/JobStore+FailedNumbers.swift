import Foundation
import GroupSMSModel

extension JobStore {
    /// Everything `export-failed` needs for a job: every failed (invalid, opted-out, retryable),
    /// unconfirmed and not-sent number in position order. Call `expireOverdueReports()` first so
    /// numbers past the 72 h report window are listed as EXPIRED.
    public func failedNumbers(of id: JobID) throws -> FailedNumberExport {
        try connection.transaction(immediate: false) {
            let job = try loadJob(id)
            var export = FailedNumberExport(job: job, rows: try failedRows(of: job, afterPosition: -1,
                                                                           limit: Int(Int32.max)))
            export.variablesHeader = try variablesHeader(of: id)
            return export
        }
    }

    /// A page of `failedNumbers(of:)` rows for very large jobs: pass the last position seen.
    public func failedNumberRows(of id: JobID, afterPosition: Int = -1, limit: Int = 10_000) throws -> [FailedNumberRow] {
        try failedRows(of: try loadJob(id), afterPosition: afterPosition, limit: limit)
    }

    private func failedRows(of job: JobRecord, afterPosition: Int, limit: Int) throws -> [FailedNumberRow] {
        var rows = try plainFailedRows(of: job, afterPosition: afterPosition, limit: limit)
        let values = try numberValues(of: job.id, positions: rows.map(\.position))
        if !values.isEmpty {
            for index in rows.indices { rows[index].values = values[rows[index].position] }
        }
        return rows
    }

    private func plainFailedRows(of job: JobRecord, afterPosition: Int, limit: Int) throws -> [FailedNumberRow] {
        try connection.query("""
            SELECT position, e164, original, state, failure_class, stage, code, description, updated_at, file_index, cell
            FROM numbers WHERE job_id = ? AND state IN ('failed', 'unconfirmed', 'not-sent') AND position > ?
            ORDER BY position LIMIT ?
            """, [.integer(job.id.rawValue), .int(afterPosition), .int(limit)]) { row in
            let state = NumberState(rawValue: row.text(3)) ?? .failed
            let fileIndex = row.optionalInt(9)
            return FailedNumberRow(
                position: row.int(0), number: row.optionalText(1) ?? row.optionalText(2) ?? "", state: state,
                failureClass: row.optionalText(4).flatMap(FailureClass.init(rawValue:))
                    ?? (state == .unconfirmed ? .unconfirmed : .retryable),
                stage: row.optionalText(5).flatMap(FailureStage.init(rawValue:)),
                code: row.optionalText(6) ?? (state == .unconfirmed ? "UNCONFIRMED" : state.rawValue.uppercased()),
                description: row.optionalText(7) ?? "", time: row.optionalDate(8),
                sourceFile: fileIndex.flatMap { job.sourceFiles.indices.contains($0) ? job.sourceFiles[$0] : nil },
                cell: row.optionalText(10))
        }
    }
}
