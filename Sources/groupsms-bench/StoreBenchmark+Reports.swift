import Foundation
import GroupSMSModel
import GroupSMSStore

/// Status reports through the store: stored only (SQLite's intake forms, for comparison), and
/// stored and applied as the receiver does, on either store.
extension StoreBenchmark {
    func ingestReports(_ store: JobStore, count: Int, batch: Int) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        var stored = 0
        var offset = 0
        while offset < count {
            let reports = (offset..<min(count, offset + batch)).map {
                StatusReport(smsMsgId: "bench-\(batch)-\($0)", status: $0 % 10 == 0 ? "UNDELIV" : "DELIVRD", total: 1,
                             sequence: 1, updateTime: "2026-12-01T01:00:00Z", extend: "benchj1c\($0 / 500)",
                             to: "+8613100000000")
            }
            stored += try await store.storeStatusReports(reports).stored
            offset += batch
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard stored == count else { throw BenchmarkError("stored \(stored) of \(count) reports") }
        let target = batch == 1 ? "(one durable commit per report, for comparison)" : "target >= 2000/s"
        print(String(format: "%-44@ %d in %.2f s = %.0f reports/s   %@",
                     "status reports, \(batch) per transaction" as NSString, count, seconds, Double(count) / seconds,
                     target as NSString))
    }

    /// `inFlight` clients each sending one single-form report at a time, as a receiver would store them.
    func ingestConcurrentReports(_ store: JobStore, count: Int, inFlight: Int) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let stored = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<inFlight {
                group.addTask {
                    var stored = 0
                    for index in stride(from: client, to: count, by: inFlight) {
                        let report = StatusReport(smsMsgId: "single-\(index)", status: "DELIVRD", total: 1, sequence: 1)
                        stored += try await store.receiveStatusReports([report]).stored
                    }
                    return stored
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard stored == count else { throw BenchmarkError("stored \(stored) of \(count) reports") }
        print(String(format: "%-44@ %d in %.2f s = %.0f reports/s   target >= 2000/s",
                     "status reports, single, \(inFlight) concurrent (group commit)" as NSString, count, seconds,
                     Double(count) / seconds))
    }

    // MARK: Applying reports to numbers

    /// A job of `count` numbers run through claim/answer so every number is accepted, and a
    /// report per accepted number in the platform's mix: 88% DELIVRD, 10% UNDELIV, 2% BLACK
    /// (which also adds to the suppression list), each with `extend` and `to` as sent.
    func acceptedReports(_ store: any JobStoring, name: String, count: Int, seed: UInt64) async throws -> [StatusReport] {
        let job = try await createJob(store, name: name, count: count, seed: seed, target: "-")
        try await runChunks(store, job: job.id, label: "\(count)-number job to report on")
        let tags = Dictionary(uniqueKeysWithValues: try await store.chunks(of: job.id).map { ($0.id, $0.extendTag) })
        var reports: [StatusReport] = []
        var after = -1
        while true {
            let page = try await store.numbers(of: job.id, states: [.accepted], afterPosition: after)
            guard let last = page.last else { break }
            for number in page {
                let index = reports.count
                let status = index % 50 == 7 ? "BLACK" : index % 10 == 3 ? "UNDELIV" : "DELIVRD"
                reports.append(StatusReport(smsMsgId: number.smsMsgId!, status: status, total: 1, sequence: 1, source: "2",
                                            updateTime: "2026-12-01T01:00:00Z", extend: number.chunkID.flatMap { tags[$0] },
                                            to: number.e164))
            }
            after = last.position
        }
        return reports
    }

    func applyReportBatches(_ store: JobStore, count: Int, batch: Int) async throws {
        guard count > 0 else { return }
        let reports = try await acceptedReports(store, name: "apply-batches", count: count, seed: 3)
        var latencies: [Double] = []
        var total = StatusReportBatchSummary()
        let start = DispatchTime.now().uptimeNanoseconds
        for offset in stride(from: 0, to: reports.count, by: batch) {
            let slice = Array(reports[offset..<min(reports.count, offset + batch)])
            latencies.append(try await timeOnce { total.add(try await store.applyStatusReports(slice)) })
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try printApplied(total, expected: reports.count, seconds: seconds, latencies: latencies,
                         label: "apply reports, \(batch) per transaction")
    }

    /// `inFlight` clients each posting one single-form report at a time, stored and applied with group commit.
    func applyConcurrentReports(_ store: any JobStoring, count: Int, inFlight: Int) async throws {
        guard count > 0 else { return }
        let reports = try await acceptedReports(store, name: "apply-singles", count: count, seed: 4)
        let start = DispatchTime.now().uptimeNanoseconds
        let results = try await withThrowingTaskGroup(of: (StatusReportBatchSummary, [Double]).self) { group in
            for client in 0..<inFlight {
                group.addTask {
                    var summary = StatusReportBatchSummary()
                    var latencies: [Double] = []
                    for index in stride(from: client, to: reports.count, by: inFlight) {
                        let sent = DispatchTime.now().uptimeNanoseconds
                        summary.add(try await Self.receive([reports[index]], into: store))
                        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e6)
                    }
                    return (summary, latencies)
                }
            }
            return try await group.reduce(into: [(StatusReportBatchSummary, [Double])]()) { $0.append($1) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var total = StatusReportBatchSummary()
        results.forEach { total.add($0.0) }
        try printApplied(total, expected: reports.count, seconds: seconds, latencies: results.flatMap(\.1),
                         label: "apply reports, single, \(inFlight) concurrent (group commit)")
    }

    func printApplied(_ total: StatusReportBatchSummary, expected: Int, seconds: Double, latencies: [Double],
                              label: String) throws {
        guard total.applied == expected, total.delivered + total.failed == expected else {
            throw BenchmarkError("applied \(total.applied) of \(expected) reports (\(total.delivered) delivered, "
                                 + "\(total.failed) failed, \(total.unknown) unknown)")
        }
        print(String(format: "%-44@ %d in %.2f s = %.0f reports/s   target >= 2000/s", label as NSString, expected,
                     seconds, Double(expected) / seconds))
        print(String(format: "    per call  median %6.2f ms  p99 %6.2f ms   (%d delivered, %d failed, %d suppressed)",
                     Measurement.median(latencies), Measurement.percentile(latencies, 0.99), total.delivered,
                     total.failed, total.suppressed))
    }

    /// One receiver request's reports, stored and applied (nil only when the store could not
    /// take them within 30 s, which fails the run).
    static func receive(_ reports: [StatusReport], into store: any JobStoring) async throws -> StatusReportBatchSummary {
        guard let summary = try await store.receiveAndApplyStatusReports(reports, malformedEntries: 0, heldLimit: .standard,
                                                                         waitingAtMost: .seconds(30)) else {
            throw BenchmarkError("the store did not take \(reports.count) reports within 30 s")
        }
        return summary
    }
}

extension StatusReportBatchSummary {
    /// Adds another call's counts to these.
    mutating func add(_ other: StatusReportBatchSummary) {
        received += other.received
        stored += other.stored
        duplicates += other.duplicates
        applied += other.applied
        unknown += other.unknown
        heldApplied += other.heldApplied
        confirmed += other.confirmed
        delivered += other.delivered
        failed += other.failed
        suppressed += other.suppressed
    }
}
