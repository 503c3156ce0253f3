import Foundation
import GroupSMSModel
import GroupSMSStore

/// Builders for status-report tests: jobs whose numbers the platform accepted, and report bodies.
public enum ReportFixtures {
    /// A job created running under `runner`, all of whose numbers went out in chunks of
    /// `chunkSize` and were accepted (message id `<tag>-<index>`, see `StoreFixtures.acceptAll`).
    /// Returns the job and each number's message id.
    public static func acceptedJob(_ store: JobStore, numbers: [String], runner: RunnerLease,
                                   draft: JobDraft? = nil, chunkSize: Int = 500) async throws
        -> (job: JobRecord, messageIDs: [String: String]) {
        let job = try await store.createJob(draft ?? StoreFixtures.draft(numbers), runner: runner)
        var messageIDs: [String: String] = [:]
        while let chunk = try await store.claimChunk(for: job.id, runner: runner, maxNumbers: chunkSize).chunk {
            let answer = StoreFixtures.acceptAll(chunk, at: store.clock.now())
            _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
            for (index, number) in chunk.numbers.enumerated() { messageIDs[number] = "\(chunk.extendTag)-\(index)" }
        }
        return (job, messageIDs)
    }

    /// A single report's form body with every value percent-encoded as the platform does
    /// (`:` as `%3A`, space as `+`).
    public static func formBody(_ fields: KeyValuePairs<String, String>) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            let encoded = value.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }
                .joined(separator: "+")
            return "\(name)=\(encoded)"
        }.joined(separator: "&")
    }

    /// A batch body holding `reports` as the platform sends them (every field a JSON string).
    public static func batchBody(_ reports: [StatusReport]) -> String {
        let entries = reports.map { report -> [String: String] in
            var entry = ["smsMsgId": report.smsMsgId, "status": report.status]
            entry["total"] = report.total.map(String.init)
            entry["sequence"] = report.sequence.map(String.init)
            entry["source"] = report.source
            entry["updateTime"] = report.updateTime
            entry["orgCode"] = report.orgCode
            entry["extend"] = report.extend
            entry["to"] = report.to
            return entry
        }
        let data = try! JSONSerialization.data(withJSONObject: ["statusReportList": entries], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
