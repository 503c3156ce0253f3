import Foundation
import GroupSMSModel

/// One stored tuple of a personalised job: its values and the content key the frequency limits
/// compare.
struct StoredValueSet: Sendable, Hashable {
    var params: [String]
    var contentKey: String
}

extension JobStore {
    /// Writes a personalised draft's tuples (each once) and its header, in the job's own
    /// transaction; the numbers name their tuple in `value_set` (see `insertNumbers`).
    func insertValueSets(_ draft: JobDraft, job: JobID) throws {
        guard let values = draft.values else { return }
        guard values.valueSetIndices.count == draft.numbers.count else {
            throw StoreError.invalidInput("the job has \(draft.numbers.count) numbers but values for "
                                          + "\(values.valueSetIndices.count); import the file again")
        }
        try connection.execute("UPDATE jobs SET variables_header = ? WHERE id = ?",
                               [.text(StoreJSON.encode(values.header)), .integer(job.rawValue)])
        // Multi-row inserts, 64 tuples a statement: a million distinct tuples are a million rows.
        func insert(rows: Int) throws -> SQLiteStatement {
            let values = Array(repeating: "(?, ?, ?, ?)", count: rows).joined(separator: ", ")
            return try connection.statement("INSERT INTO job_value_sets(job_id, set_index, paras, content_key) VALUES \(values)")
        }
        let batch = try insert(rows: Self.insertBatch)
        defer { batch.reset() }
        var index = 0
        while index < values.valueSets.count {
            let rows = min(Self.insertBatch, values.valueSets.count - index)
            let statement = rows == Self.insertBatch ? batch : try insert(rows: rows)
            for offset in 0..<rows {
                let params = values.valueSets.values(at: index + offset)
                let key = ContentKey.make(templateID: draft.templateID, params: params, signature: draft.signature)
                let base = Int32(offset * 4)
                try statement.bind(.integer(job.rawValue), at: base + 1)
                try statement.bind(.int(index + offset), at: base + 2)
                try statement.bind(.text(StoreJSON.encode(params)), at: base + 3)
                try statement.bind(.text(key), at: base + 4)
            }
            try statement.run()
            statement.reset()
            index += rows
        }
    }

    /// The value columns' header of a personalised job, or nil.
    public func variablesHeader(of job: JobID) throws -> [String]? {
        try connection.scalarText("SELECT variables_header FROM jobs WHERE id = ?", [.integer(job.rawValue)])
            .map(StoreJSON.strings)
    }

    /// The tuples `indices` of `job`, by index (each read once per claim).
    func valueSets(of job: JobID, _ indices: Set<Int64>) throws -> [Int64: StoredValueSet] {
        guard !indices.isEmpty else { return [:] }
        var sets: [Int64: StoredValueSet] = [:]
        for (index, set) in try connection.query("""
            SELECT set_index, paras, content_key FROM job_value_sets
            WHERE job_id = ? AND set_index IN (SELECT value FROM json_each(?))
            """, [.integer(job.rawValue), .text("[" + indices.map(String.init).joined(separator: ",") + "]")], {
                ($0.int64(0), StoredValueSet(params: StoreJSON.strings($0.text(1)), contentKey: $0.text(2)))
            }) {
            sets[index] = set
        }
        return sets
    }

    /// Each number's values for the numbers of `job` at `positions` (for the export).
    func numberValues(of job: JobID, positions: [Int]) throws -> [Int: [String]] {
        guard !positions.isEmpty else { return [:] }
        var values: [Int: [String]] = [:]
        for (position, paras) in try connection.query("""
            SELECT n.position, s.paras FROM numbers n
            JOIN job_value_sets s ON s.job_id = n.job_id AND s.set_index = n.value_set
            WHERE n.job_id = ? AND n.position IN (SELECT value FROM json_each(?))
            """, [.integer(job.rawValue), .text("[" + positions.map(String.init).joined(separator: ",") + "]")], {
                ($0.int(0), StoreJSON.strings($0.text(1)))
            }) {
            values[position] = paras
        }
        return values
    }

    /// The values for a rerun of `numbers` (E.164) of `job`: the same header and each number's
    /// own tuple, interned again so the new job stores each tuple once.
    func rerunValues(of job: JobID, numbers: [NumberDraft]) throws -> RecipientValues? {
        guard let header = try variablesHeader(of: job) else { return nil }
        var byNumber: [String: [String]] = [:]
        for (e164, paras) in try connection.query("""
            SELECT n.e164, s.paras FROM numbers n
            JOIN job_value_sets s ON s.job_id = n.job_id AND s.set_index = n.value_set
            WHERE n.job_id = ? AND n.e164 IN (SELECT value FROM json_each(?))
            """, [.integer(job.rawValue), .text(StoreJSON.encode(numbers.map(\.e164)))], {
                ($0.text(0), StoreJSON.strings($0.text(1)))
            }) {
            byNumber[e164] = paras
        }
        var sets = TemplateValueSets(arity: header.count)
        var indices: [UInt32] = []
        indices.reserveCapacity(numbers.count)
        for number in numbers {
            guard let paras = byNumber[number.e164], paras.count == header.count else {
                throw StoreError.invalidInput("\(number.e164) of \(job) has no stored values; it cannot be rerun with its own")
            }
            indices.append(sets.intern(paras))
        }
        return RecipientValues(header: header, valueSets: sets, valueSetIndices: indices)
    }
}

extension JobStore {
    /// Reads the tuples of `candidates` this claim has not read yet.
    func loadValueSets(of candidates: [QueuedNumber], into work: inout ClaimWork) throws {
        let missing = Set(candidates.compactMap(\.valueSet)).subtracting(work.valueSets.keys)
        guard !missing.isEmpty else { return }
        work.valueSets.merge(try valueSets(of: work.job.id, missing)) { first, _ in first }
    }
}

extension JobStore {
    /// The distinct content keys `job`'s sends recorded (for checks of "same content").
    func sendHistoryContentKeys(of job: JobID) throws -> [String] {
        try connection.query("SELECT DISTINCT content_key FROM send_history WHERE job_id = ? ORDER BY 1",
                             [.integer(job.rawValue)]) { $0.text(0) }
    }
}
