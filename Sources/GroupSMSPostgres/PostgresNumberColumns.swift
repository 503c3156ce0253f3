import Foundation
import GroupSMSModel
import Logging
import PostgresNIO
import GroupSMSStore

/// A batch of pending numbers as the rows of a `COPY numbers FROM STDIN` (text format): the
/// fastest way in, with no parameter to encode per value.
struct PendingNumberCopy {
    private var rows: [UInt8] = []
    private(set) var count = 0
    private let job: [UInt8]

    init(job: JobID) {
        self.job = Array(String(job.rawValue).utf8)
        rows.reserveCapacity(PostgresJobStore.insertBatch * 48)
    }

    /// Appends one row as bytes (no string building per row: this loop runs a million times).
    mutating func append(position: Int, number: NumberDraft, valueSet: UInt32? = nil) {
        let tab = UInt8(ascii: "\t")
        rows.append(contentsOf: job)
        rows.append(tab)
        rows.appendCopyDecimal(position)
        rows.append(tab)
        if let fileIndex = number.fileIndex { rows.appendCopyDecimal(fileIndex) } else { rows.append(contentsOf: Self.null) }
        rows.append(tab)
        if let cell = number.cell { rows.appendCopyEscaped(cell) } else { rows.append(contentsOf: Self.null) }
        rows.append(tab)
        rows.appendCopyEscaped(number.e164)
        rows.append(tab)
        if let valueSet { rows.appendCopyDecimal(Int(valueSet)) } else { rows.append(contentsOf: Self.null) }
        rows.append(contentsOf: Self.pendingEnd)
        count += 1
    }

    private static let null = Array("\\N".utf8)
    private static let pendingEnd = Array("\tpending\n".utf8)

    func insert(on connection: PostgresConnection, logger: Logger) async throws {
        guard count > 0 else { return }
        let columns = ["job_id", "position", "file_index", "cell", "e164", "value_set", "state"]
        try await connection.guardedCopyFrom(table: "numbers", columns: columns, logger: logger) { writer in
            try await writer.write(ByteBuffer(bytes: rows))
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in decimal, as a field of `COPY`'s text format.
    mutating func appendCopyDecimal(_ value: Int) {
        guard value >= 0 else {
            append(UInt8(ascii: "-"))
            appendCopyDecimal(-value)
            return
        }
        if value >= 10 { appendCopyDecimal(value / 10) }
        append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Appends `text` with the bytes `COPY`'s text format gives a meaning (backslash, tab,
    /// newline, return) escaped.
    mutating func appendCopyEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append(contentsOf: [byte, byte])
            case UInt8(ascii: "\t"): append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: append(byte)
            }
        }
    }
}

/// Numbers stored failed at creation (suppressed, or rejected at import), one array per column.
struct FailedNumberColumns {
    private var positions: [Int64] = [], fileIndexes: [Int64] = [], cells: [String] = []
    private var originals: [String] = [], e164s: [String] = [], classes: [String] = [], stages: [String] = []
    private var codes: [String] = [], descriptions: [String] = []

    var count: Int { positions.count }

    mutating func append(position: Int, fileIndex: Int?, cell: String?, original: String?, e164: String?,
                         failureClass: FailureClass, stage: FailureStage, code: String, description: String) {
        positions.append(Int64(position))
        fileIndexes.append(Int64(fileIndex ?? -1))
        cells.append(cell ?? "")
        originals.append(original ?? "")
        e164s.append(e164 ?? "")
        classes.append(failureClass.rawValue)
        stages.append(stage.rawValue)
        codes.append(code)
        descriptions.append(description)
    }

    func insert(job: JobID, now: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        guard count > 0 else { return }
        try await connection.run("""
            INSERT INTO numbers(job_id, position, file_index, cell, original, e164, state, failure_class, stage,
                code, description, updated_at)
            SELECT \(job.rawValue), p, NULLIF(f, -1), NULLIF(c, ''), \
            CASE WHEN e = '' THEN o ELSE NULLIF(o, '') END, NULLIF(e, ''), 'failed', k, s, d, t, \(now)
            FROM unnest(\(positions)::bigint[], \(fileIndexes)::bigint[], \(cells)::text[], \(originals)::text[],
                        \(e164s)::text[], \(classes)::text[], \(stages)::text[], \(codes)::text[],
                        \(descriptions)::text[]) AS u(p, f, c, o, e, k, s, d, t)
            """, logger: logger)
    }
}
