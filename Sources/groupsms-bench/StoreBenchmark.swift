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

    @Flag(help: ArgumentHelp("Run on a PostgreSQL store instead of SQLite: a throwaway server (initdb + pg_ctl in a "
                             + "temporary folder), or --store."))
    var postgres = false

    @Option(help: "With --postgres: an existing store, postgres://USER@HOST:PORT/DB (password from PGPASSWORD).")
    var store: String?

    @Option(help: ArgumentHelp("Numbers sent at the platform's cap against the in-process simulator, through this "
                               + "store (target: at least 99% of the cap); 0 skips it."))
    var send = 0

    func run() async throws {
        guard let durability = StoreDurability(rawValue: durability) else {
            throw ValidationError("--durability must be full or normal")
        }
        let directory = dataDir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("groupsms-bench-store-\(UUID().uuidString)").path
        defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        // PostgreSQL keeps no file here, but the send's simulator log and the prices do.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let opened = try await BenchmarkStore.open(postgres: postgres || store != nil, url: store, directory: directory,
                                                   durability: durability)
        print("store benchmark: \(opened.label)")
        do {
            try await measure(opened.store, scratch: directory)
        } catch {
            await opened.close()
            throw error
        }
        await opened.close()
    }

    private func measure(_ store: any JobStoring, scratch: String) async throws {
        let big = try await createJob(store, name: "big", count: bigJob, seed: 1, target: "< 10000 ms")
        _ = try await createJob(store, name: "big personalised", count: bigJob, seed: 3, target: "< 10000 ms",
                                personalised: true)
        var timings = try await timeOnce { _ = try await store.summary(of: big.id) }
        print(String(format: "%-44@ %8.1f ms", "show (counts) of the \(bigJob)-number job" as NSString, timings))

        let small = try await createJob(store, name: "small", count: smallJob, seed: 2, target: "-")
        try await runChunks(store, job: small.id, label: "\(smallJob)-number job")

        try await runChunks(store, job: big.id, label: "\(bigJob)-number job, first 20 chunks", limit: 20)

        if let sqlite = store as? JobStore {
            try await ingestReports(sqlite, count: reports, batch: 50)
            try await ingestReports(sqlite, count: singleReports, batch: 1)
            try await ingestConcurrentReports(sqlite, count: concurrentReports, inFlight: 64)
            try await applyReportBatches(sqlite, count: applyReports, batch: 50)
        }
        try await applyConcurrentReports(store, count: applyReports, inFlight: 64)
        if send > 0 {
            let figures = try await SendBenchmark.measureSend(store: store, numbers: send, latency: 0.05...0.3, block: 7,
                                                              scratch: scratch)
            print("send \(send) numbers through this store, latency 50-300 ms, rate cap 500: outcome \(figures.outcome)")
            figures.printLines(indent: "    ")
            try figures.check(numbers: send)
        }
        timings = Measurement.peakRSSOfSelf()
        print(String(format: "peak RSS %.1f MiB", timings))
    }

    func createJob(_ store: any JobStoring, name: String, count: Int, seed: UInt64, target: String,
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
                                   params: ["2026", "Friday"], signature: "groupsms",
                                   // The chunk cycles measure the store, at any hour (mainland numbers at night would wait).
                                   sendWindow: .any)
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

    func runChunks(_ store: any JobStoring, job id: JobID, label: String, limit: Int = .max) async throws {
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

    func timeOnce(_ body: () async throws -> Void) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
}

