import ArgumentParser
import Foundation
import GroupSMSModel
import GroupSMSStore

/// Measures the job store: creating big jobs, the runner's claim/answer cycle, report ingest.
struct StoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Creates a 1,000,000-number and a 50,000-number job, runs 500-number chunks through "
            + "claim/answer as a runner would, ingests status reports, and applies reports to accepted numbers.")

    @Option(help: "Numbers in the big job (target: stored in under 10 s).")
    var bigJob = 1_000_000

    @Option(help: "Numbers in the job run through claim/answer cycles.")
    var smallJob = 50_000

    @Option(help: "Status reports to ingest in batches of 50 (target: at least 2,000/s).")
    var reports = 20_000

    @Option(help: "Status reports to ingest one per transaction (the single-report form's worst case).")
    var singleReports = 2_000

    @Option(help: "Single-report requests arriving concurrently, stored with group commit.")
    var concurrentReports = 20_000

    @Option(help: ArgumentHelp("Accepted numbers per apply run: their reports are stored and applied in batches of 50, "
                               + "then as concurrent single reports through group commit (target: at least 2,000/s)."))
    var applyReports = 50_000

    @Option(help: "Commit durability: full (the product default) or normal.")
    var durability = "full"

    @Option(help: "Data dir to use (default: a fresh temporary directory, removed afterwards).")
    var dataDir: String?

    func run() async throws {
        guard let durability = StoreDurability(rawValue: durability) else {
            throw ValidationError("--durability must be full or normal")
        }
        let directory = dataDir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-bench-store-\(UUID().uuidString)").path
        defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let store = try JobStore(dataDirectory: directory, clock: SystemWallClock(),
                                 options: JobStoreOptions(durability: durability))
        print("store benchmark: data dir \(directory), durability \(durability.rawValue), SQLite \(JobStore.sqliteVersion) WAL")

        let big = try await createJob(store, name: "big", count: bigJob, seed: 1, target: "< 10000 ms")
        _ = try await createJob(store, name: "big personalised", count: bigJob, seed: 3, target: "< 10000 ms",
                                personalised: true)
        var timings = try await timeOnce { _ = try await store.summary(of: big.id) }
        print(String(format: "%-44@ %8.1f ms", "show (counts) of the \(bigJob)-number job" as NSString, timings))

        let small = try await createJob(store, name: "small", count: smallJob, seed: 2, target: "-")
        try await runChunks(store, job: small.id, label: "\(smallJob)-number job")

        try await runChunks(store, job: big.id, label: "\(bigJob)-number job, first 20 chunks", limit: 20)

        try await ingestReports(store, count: reports, batch: 50)
        try await ingestReports(store, count: singleReports, batch: 1)
        try await ingestConcurrentReports(store, count: concurrentReports, inFlight: 64)
        try await applyReportBatches(store, count: applyReports, batch: 50)
        try await applyConcurrentReports(store, count: applyReports, inFlight: 64)
        timings = Measurement.peakRSSOfSelf()
        print(String(format: "peak RSS %.1f MiB", timings))
    }

    private func createJob(_ store: JobStore, name: String, count: Int, seed: UInt64, target: String,
                           personalised: Bool = false) async throws -> JobRecord {
        let planStart = DispatchTime.now().uptimeNanoseconds
        let files = (0..<max(1, (count + 49_999) / 50_000)).map { "recipients-\($0 + 1).xlsx" }
        var numbers: [NumberDraft] = []
        numbers.reserveCapacity(count)
        for index in 0..<count {
            // An odd multiplier permutes 0..<10^8, so numbers are distinct but not in sorted order.
            let subscriber = (UInt64(index) &* 48_271 &+ seed &* 7_919) % 100_000_000
            let digits = String(subscriber)
            numbers.append(NumberDraft(e164: "+86131" + String(repeating: "0", count: 8 - digits.count) + digits,
                                       fileIndex: index / 50_000, cell: "A\(index % 50_000 + 2)"))
        }
        let settings = JobSettings(templateID: "8ff55eac1d0b478ab3c06c3c6a492300", from: "8824110605",
                                   params: ["2026", "Friday"], signature: "groupsms")
        var draft = JobDraft(name: name, settings: settings, numbers: numbers, sourceFiles: files)
        if personalised {
            // Every number its own values (the worst case: a million tuples), as an import makes them.
            draft.settings.params = []
            var sets = TemplateValueSets(arity: 2)
            sets.reserveCapacity(tuples: count)
            let indices = (0..<count).map { sets.intern(["Customer \($0)", String(100_000 + $0 % 900_000)]) }
            draft.values = RecipientValues(header: ["Name", "Code"], valueSets: sets, valueSetIndices: indices)
        }
        let planned = Double(DispatchTime.now().uptimeNanoseconds - planStart) / 1e6
        var job: JobRecord?
        let stored = try await timeOnce { job = try await store.createJob(draft) }
        print(String(format: "%-44@ plan %7.1f ms  store %8.1f ms  total %8.1f ms  peak RSS %7.1f MiB  target %@",
                     "create \(count)-number \(personalised ? "personalised " : "")job" as NSString, planned, stored, planned + stored,
                     Measurement.peakRSSOfSelf(), target as NSString))
        return job!
    }

    private func runChunks(_ store: JobStore, job id: JobID, label: String, limit: Int = .max) async throws {
        let lease = RunnerLease.forThisProcess()
        _ = try await store.startJob(id, runner: lease)
        var claims: [Double] = []
        var answers: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        var sent = 0
        while claims.count < limit {
            var claim: ChunkClaim?
            claims.append(try await timeOnce { claim = try await store.claimChunk(for: id, runner: lease) })
            guard let chunk = claim?.chunk else { claims.removeLast(); break }
            var outcomes: [String: NumberOutcome] = [:]
            for (index, number) in chunk.numbers.enumerated() {
                outcomes[number] = .accepted(smsMsgId: "\(chunk.extendTag)-\(index)")
            }
            let answer = ChunkAnswer(requestStartedAt: Date(), code: "000000", description: "Success",
                                     outcomes: outcomes, unlisted: .unconfirmed(description: "not in the answer"))
            answers.append(try await timeOnce { _ = try await store.recordChunkAnswer(chunk.id, runner: lease, answer: answer) })
            sent += chunk.numbers.count
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard !claims.isEmpty else { throw BenchmarkError("no chunk could be claimed from \(id)") }
        print(String(format: "%-44@ %d chunks, %d numbers in %.2f s (%.0f numbers/s of store capacity)",
                     "runner cycle, \(label)" as NSString, claims.count, sent, seconds, Double(sent) / seconds))
        print(String(format: "    claim 500 (limits+in-flight commit)  median %6.2f ms  p99 %6.2f ms",
                     Measurement.median(claims), Measurement.percentile(claims, 0.99)))
        print(String(format: "    record answer of 500                 median %6.2f ms  p99 %6.2f ms",
                     Measurement.median(answers), Measurement.percentile(answers, 0.99)))
    }

    private func ingestReports(_ store: JobStore, count: Int, batch: Int) async throws {
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
    private func ingestConcurrentReports(_ store: JobStore, count: Int, inFlight: Int) async throws {
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
    private func acceptedReports(_ store: JobStore, name: String, count: Int, seed: UInt64) async throws -> [StatusReport] {
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

    private func applyReportBatches(_ store: JobStore, count: Int, batch: Int) async throws {
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
    private func applyConcurrentReports(_ store: JobStore, count: Int, inFlight: Int) async throws {
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
                        summary.add(try await store.receiveAndApplyStatusReports([reports[index]]))
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

    private func printApplied(_ total: StatusReportBatchSummary, expected: Int, seconds: Double, latencies: [Double],
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

    private func timeOnce(_ body: () async throws -> Void) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
}

extension StatusReportBatchSummary {
    /// Adds another call's counts to these.
    fileprivate mutating func add(_ other: StatusReportBatchSummary) {
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
