import Foundation
import GroupSMSModel
import GroupSMSXLSX
import GroupSMSStore
import GroupSMSJobs
import GroupSMSTestSupport

/// A data dir and a jobs folder holding one job file (`notice.yaml`) and its recipients.
struct FolderFixture {
    let root: String
    var dataDir: String { root + "/data" }
    var folder: String { root + "/Jobs" }
    var jobFile: String { folder + "/notice.yaml" }

    init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try XLSXWriter(sheets: [XLSXSheet.textColumn(name: "Sheet1", header: "Phone", StoreFixtures.numbers(12, block: 3))])
            .write(to: folder + "/people.xlsx")
    }

    /// Writes the job file; `version` changes its content (and the job's name).
    /// `at` nil: no start time (now).
    /// `send_window: any`: the runs here are on the real clock with mainland numbers, which
    /// must not depend on the hour in Beijing.
    func writeJob(version: Int, at: String? = "+2h") throws {
        let start = at.map { "at: \"\($0)\"\n" } ?? ""
        try ("name: Notice \(version)\nrecipients: people.xlsx\ntemplate: t9\nparams: [\"p\"]\nfrom: \"8824110605\"\n"
             + "send_window: any\n" + start)
            .write(toFile: jobFile, atomically: true, encoding: .utf8)
    }

    func store(clock: any WallClock = SystemWallClock()) throws -> JobStore {
        try JobStore(dataDirectory: dataDir, clock: clock)
    }

    func watcher(folder: String? = nil,
                 checkpoint: @escaping @Sendable (FolderPickupPoint) throws -> Void = { _ in }) -> JobFolderWatcher {
        JobFolderWatcher(folder: folder ?? self.folder, dataDirectory: DataDirectory(path: dataDir), checkpoint: checkpoint)
    }

    /// One scan by a fresh watcher (a daemon start).
    func scanOnce(_ store: JobStore, folder: String? = nil, clock: any WallClock = SystemWallClock()) async -> [String] {
        var watcher = self.watcher(folder: folder)
        return await watcher.scan(store: store, clock: clock, endpoint: nil)
    }

    /// Runs `job` to its end as a runner whose every request the platform took.
    static func finish(_ job: JobID, in store: JobStore) async throws {
        let lease = RunnerLease.forThisProcess()
        _ = try await store.startJob(job, runner: lease)
        while let chunk = try await store.claimChunk(for: job, runner: lease, maxNumbers: 100).chunk {
            _ = try await store.recordChunkAnswer(chunk.id, runner: lease, answer: StoreFixtures.acceptAll(chunk, at: Date()))
        }
        _ = try await store.finishJob(job, runner: lease)
    }

    /// Jobs not cancelled, finished or failed, by name.
    static func liveJobs(_ store: JobStore) async throws -> [String] {
        try await store.summaries().map(\.job).filter { [.scheduled, .running, .paused].contains($0.state) }.map(\.name).sorted()
    }
}
