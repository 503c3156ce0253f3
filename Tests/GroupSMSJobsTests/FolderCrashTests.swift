import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSJobs
import GroupSMSTestSupport
import Testing

/// Kills a real daemon process (`kill -9` by itself, at a named `FolderPickupPoint`) while it
/// submits or replaces a job file's job, then restarts and checks that each file content made at
/// most one job: exactly one live job, made from the file's current content.
@Suite("Jobs folder across kill -9", .serialized)
struct FolderCrashTests {
    static let directoryVariable = "GROUPSMS_FOLDER_CRASH_DIR"
    static let pointVariable = "GROUPSMS_FOLDER_CRASH_POINT"

    @Test(.enabled(if: ProcessInfo.processInfo.environment[directoryVariable] != nil,
                   "runs only as the child process of the kill -9 test"))
    func folderCrashChild() async throws {
        let environment = ProcessInfo.processInfo.environment
        let fixture = FolderFixture(existing: try #require(environment[Self.directoryVariable]))
        let point = try #require(environment[Self.pointVariable].flatMap(FolderPickupPoint.init(rawValue:)))
        var watcher = fixture.watcher { if $0 == point { kill(getpid(), SIGKILL) } }
        _ = await watcher.scan(store: try fixture.store(), clock: SystemWallClock(), endpoint: nil)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/exe"), "needs /proc to re-run the test binary"),
          arguments: [false, true], FolderPickupPoint.allCases)
    func killedPickUpMakesOneJobPerContent(replacing: Bool, point: FolderPickupPoint) async throws {
        let temp = try TemporaryDirectory(prefix: "folder-crash")
        let fixture = try FolderFixture(root: temp.path)
        try fixture.writeJob(version: 1)
        if replacing {
            _ = await fixture.scanOnce(try fixture.store())
            try fixture.writeJob(version: 2)
        }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["--testing-library", "swift-testing", "--filter", "folderCrashChild"]
        child.environment = ProcessInfo.processInfo.environment.merging(
            [Self.directoryVariable: temp.path, Self.pointVariable: point.rawValue]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        // Waited for without blocking a thread of the shared pool, which other tests need.
        let (ended, finish) = AsyncStream<Void>.makeStream()
        child.terminationHandler = { _ in finish.finish() }
        try child.run()
        for await _ in ended {}
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL,
                "the child was not killed at \(point.rawValue)")

        let store = try fixture.store()  // the restart
        #expect(try await store.integrityCheck() == ["ok"])
        _ = await fixture.scanOnce(store)
        #expect(await fixture.scanOnce(store).isEmpty, "a second restart does nothing")
        let current = replacing ? "Notice 2" : "Notice 1"
        #expect(try await FolderFixture.liveJobs(store) == [current], "killed at \(point.rawValue)")
        let names = try await store.summaries().map(\.job.name)
        #expect(names.filter { $0 == current }.count == 1, "the content made one job: \(names)")
        #expect(names.count == (replacing ? 2 : 1), "\(names)")
    }
}

extension FolderFixture {
    /// The fixture another process made in `root`.
    init(existing root: String) {
        self.root = root
    }
}
