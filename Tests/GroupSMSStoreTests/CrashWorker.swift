import Foundation
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

/// The child side of the crash test: the test binary re-runs itself with only
/// `crashWorkerChild` selected and the data dir in the environment, and this loop writes to the
/// store as a runner would (create jobs, claim chunks, record answers, finish) until it is
/// killed. After each commit it appends a line to `progress.log`, so the parent knows what was
/// committed before the kill.
enum CrashWorker {
    static let directoryVariable = "GROUPSMS_CRASH_TEST_DIR"

    /// The data dir when this process is the crash test's child.
    static var directory: String? { ProcessInfo.processInfo.environment[directoryVariable] }

    static func logPath(in directory: String) -> String { directory + "/progress.log" }

    static func run(in directory: String) async throws {
        let store = try JobStore(dataDirectory: directory, clock: SystemWallClock())
        let lease = RunnerLease.forThisProcess()
        let log = try ProgressLog(path: logPath(in: directory))
        for job in try await store.abandonedJobs() where job.state == .running {
            let report = try await store.resumeJob(job.id, runner: lease)
            log.note("resumed \(job.id.rawValue) \(report.recoveredNumbers)")
            try await send(job.id, store: store, lease: lease, log: log)
        }
        var round = try await store.summaries().count
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let size = 1000 + (round * 7919) % 20_000
            // Each job has its own content and numbers, so no frequency limit applies.
            let draft = StoreFixtures.draft(StoreFixtures.numbers(size, block: round), name: "crash-\(size)",
                                            params: ["round \(round)"])
            let job = try await store.createJob(draft, runner: lease)
            log.note("created \(job.id.rawValue) \(size)")
            try await send(job.id, store: store, lease: lease, log: log)
            round += 1
        }
    }

    private static func send(_ job: JobID, store: JobStore, lease: RunnerLease, log: ProgressLog) async throws {
        var sequence = 0
        while let chunk = try await store.claimChunk(for: job, runner: lease, maxNumbers: 50 + (sequence * 37) % 451).chunk {
            log.note("inflight \(chunk.id.rawValue)")
            var answer = StoreFixtures.acceptAll(chunk, at: Date())
            for number in chunk.numbers.enumerated().filter({ $0.offset % 7 == 3 }).map(\.element) {
                answer.outcomes[number] = .failed(code: "E200041", description: "repeated", failureClass: .retryable)
            }
            _ = try await store.recordChunkAnswer(chunk.id, runner: lease, answer: answer)
            log.note("answered \(chunk.id.rawValue)")
            sequence += 1
        }
        _ = try await store.finishJob(job, runner: lease)
        log.note("finished \(job.rawValue)")
    }
}

/// Appends lines with unbuffered writes, so a line is in the file as soon as `note` returns.
final class ProgressLog {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    deinit { close(descriptor) }

    func note(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The lines written so far to the log at `path`.
    static func lines(at path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
