import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct CrashTests {
    @Test(.enabled(if: CrashWorker.directory != nil, "runs only as the child process of the kill -9 test"))
    func crashWorkerChild() async throws {
        try await CrashWorker.run(in: try #require(CrashWorker.directory))
    }

    /// Kills a real writer process with SIGKILL at arbitrary points, three times over the same
    /// data dir, and checks after each kill that the database is sound, that everything the child
    /// reported as committed is there, and that no job, chunk or number is half-written.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/exe"), "needs /proc to re-run the test binary"))
    func killNineMidWriteLeavesNoTornState() async throws {
        let folder = try TemporaryDirectory(prefix: "crash")
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var random = SeededRandom(seed: 20_261_201)
        for round in 0..<3 {
            let before = ProgressLog.lines(at: CrashWorker.logPath(in: folder.path)).count
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = ["--testing-library", "swift-testing", "--filter", "crashWorkerChild"]
            child.environment = ProcessInfo.processInfo.environment.merging([CrashWorker.directoryVariable: folder.path]) { $1 }
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Wait (without asserting on time) until the child is committing chunks, then a little more.
            let giveUp = Date().addingTimeInterval(120)
            let wanted = 3 + round * 5
            func answered() -> Int {
                ProgressLog.lines(at: CrashWorker.logPath(in: folder.path)).dropFirst(before)
                    .filter { $0.hasPrefix("answered") }.count
            }
            while answered() < wanted, Date() < giveUp, child.isRunning {
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            #expect(child.isRunning, "round \(round): the child stopped before it was killed")
            #expect(answered() >= wanted, "round \(round): the child answered \(answered()) of \(wanted) chunks in 120 s")
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...150_000_000, using: &random))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            try await verify(folder.path)
        }
    }

    private func verify(_ directory: String) async throws {
        let store = try JobStore(dataDirectory: directory, clock: SystemWallClock())
        #expect(try await store.integrityCheck() == ["ok"])
        let lines = ProgressLog.lines(at: CrashWorker.logPath(in: directory)).map { $0.split(separator: " ") }
        let summaries = Dictionary(uniqueKeysWithValues: try await store.summaries().map { ($0.job.id, $0) })
        // Jobs are whole: every job has exactly the numbers it was created with.
        for summary in summaries.values {
            #expect(summary.job.name == "crash-\(summary.total)", "\(summary.job.id) is torn")
        }
        // What the child saw committed is there.
        for line in lines where line[0] == "created" {
            #expect(summaries[JobID(Int64(line[1])!)]?.total == Int(line[2]))
        }
        for line in lines where line[0] == "finished" {
            #expect(summaries[JobID(Int64(line[1])!)]?.job.state == .finished)
        }
        let answered = Set(lines.filter { $0[0] == "answered" }.map { Int64($0[1])! })
        let raw = try SQLiteConnection(path: store.databasePath, busyTimeout: .seconds(5), durability: .normal)
        let answeredInDB = Set(try raw.query("SELECT id FROM chunks WHERE state = 'answered'") { $0.int64(0) })
        #expect(answered.isSubset(of: answeredInDB))
        try expectConsistentChunks(raw)
        // The dead runner's in-flight chunk becomes unconfirmed; then nothing is left in flight.
        for job in try await store.abandonedJobs() {
            _ = try await store.recoverJob(job.id)
        }
        #expect(try raw.scalarInt("SELECT count(*) FROM numbers WHERE state = 'sending'") == 0)
        #expect(try raw.scalarInt("SELECT count(*) FROM chunks WHERE state = 'in-flight'") == 0)
        try expectConsistentChunks(raw)
    }

    private func expectConsistentChunks(_ raw: SQLiteConnection) throws {
        // A number is in flight exactly when its chunk is, and an in-flight chunk holds all its numbers.
        #expect(try raw.scalarInt("""
            SELECT count(*) FROM numbers n LEFT JOIN chunks c ON c.id = n.chunk_id
            WHERE n.state = 'sending' AND (c.state IS NULL OR c.state <> 'in-flight')
            """) == 0)
        #expect(try raw.scalarInt("""
            SELECT count(*) FROM chunks c WHERE c.state = 'in-flight'
              AND c.size <> (SELECT count(*) FROM numbers WHERE chunk_id = c.id AND state = 'sending')
            """) == 0)
        // Every chunk's numbers have their send recorded, and no number was sent twice in a job.
        #expect(try raw.scalarInt("""
            SELECT count(*) FROM chunks c WHERE c.state IN ('in-flight', 'answered', 'unconfirmed')
              AND c.size <> (SELECT count(*) FROM send_history WHERE chunk_id = c.id)
            """) == 0)
        #expect(try raw.scalarInt("""
            SELECT count(*) FROM (SELECT 1 FROM send_history GROUP BY job_id, number HAVING count(*) > 1)
            """) == 0)
        #expect(try raw.scalarInt("""
            SELECT count(*) FROM numbers n JOIN chunks c ON c.id = n.chunk_id
            WHERE n.state IN ('accepted', 'failed') AND n.stage IS NOT 'local' AND c.state <> 'answered'
            """) == 0)
        #expect(try raw.scalarInt("""
            SELECT count(*) - count(DISTINCT sms_msg_id) FROM numbers WHERE sms_msg_id IS NOT NULL
            """) == 0)
    }
}
