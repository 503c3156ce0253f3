import Crypto
import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSJobs
import GroupSMSTestSupport
import Testing

/// A fault a test injects at a pick-up point.
struct InjectedFault: Error, CustomStringConvertible {
    var description: String { "injected fault" }
}

@Suite("Jobs folder index")
struct JobFolderIndexTests {
    @Test("a content is submitted once, also after a restart; going back to an earlier content submits nothing")
    func contentSubmittedOnce() async throws {
        let temp = try TemporaryDirectory(prefix: "folder")
        let fixture = try FolderFixture(root: temp.path)
        try fixture.writeJob(version: 1)
        let store = try fixture.store()
        let first = await fixture.scanOnce(store)
        #expect(first.count == 1 && first[0].contains("submitted"), "\(first)")
        #expect(await fixture.scanOnce(store).isEmpty, "a restarted daemon submits nothing new")
        try fixture.writeJob(version: 2)
        let replaced = await fixture.scanOnce(store)
        #expect(replaced.count == 1 && replaced[0].contains("replaces"), "\(replaced)")
        try fixture.writeJob(version: 1)
        let back = await fixture.scanOnce(store)
        #expect(back.count == 1 && back[0].contains("not submitted again"), "\(back)")
        #expect(try await FolderFixture.liveJobs(store) == ["Notice 2"])
        #expect(try await store.summaries().count == 2)
    }

    @Test("the jobs folder given through a symlink finds the finished campaign already submitted")
    func symlinkedFolder() async throws {
        let temp = try TemporaryDirectory(prefix: "folder")
        let fixture = try FolderFixture(root: temp.path)
        try fixture.writeJob(version: 1, at: nil)
        let store = try fixture.store()
        _ = await fixture.scanOnce(store)
        let job = try #require(try await store.summaries().first?.job)
        try await FolderFixture.finish(job.id, in: store)
        #expect(try await store.job(job.id).state == .finished)
        let link = temp.path + "/linked-jobs"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.folder)
        #expect(await fixture.scanOnce(store, folder: link).isEmpty)
        #expect(try await store.summaries().count == 1, "the finished campaign is not submitted again")
    }

    @Test("a store error stops the pick-up with a message and submits nothing", arguments: [FolderPickupPoint.beforeTransaction, .beforeCommit])
    func storeErrorSubmitsNothing(at point: FolderPickupPoint) async throws {
        let temp = try TemporaryDirectory(prefix: "folder")
        let fixture = try FolderFixture(root: temp.path)
        try fixture.writeJob(version: 1)
        let store = try fixture.store()
        var watcher = fixture.watcher { if $0 == point { throw InjectedFault() } }
        let lines = await watcher.scan(store: store, clock: SystemWallClock(), endpoint: nil)
        #expect(lines.count == 1 && lines[0].contains("not picked up: the job store failed (injected fault)"), "\(lines)")
        #expect(try await store.summaries().isEmpty, "nothing is submitted")
        #expect(await watcher.scan(store: store, clock: SystemWallClock(), endpoint: nil).isEmpty,
                "the same failure is reported once")
        #expect(await fixture.scanOnce(store).count == 1, "a later scan without the fault submits it")
        #expect(try await FolderFixture.liveJobs(store) == ["Notice 1"])
    }

    @Test("a truncated legacy jobs-folder.json is reported and blocks the folder; a sound one is migrated once")
    func legacyIndex() async throws {
        let temp = try TemporaryDirectory(prefix: "folder")
        let fixture = try FolderFixture(root: temp.path)
        try fixture.writeJob(version: 1)
        let store = try fixture.store()
        let legacy = fixture.dataDir + "/jobs-folder.json"
        let digest = try #require(FileManager.default.contents(atPath: fixture.jobFile)).sha256Hex
        let sound = "{\n  \"\(fixture.jobFile)\" : {\n    \"hash\" : \"\(digest)\",\n    \"job\" : 7\n  }\n}"
        try String(sound.prefix(30)).write(toFile: legacy, atomically: true, encoding: .utf8)
        var watcher = fixture.watcher()
        let lines = await watcher.scan(store: store, clock: SystemWallClock(), endpoint: nil)
        #expect(lines.count == 1 && lines[0].contains("jobs-folder.json cannot be read"), "\(lines)")
        #expect(try await store.summaries().isEmpty, "a bad memory is never taken as empty")
        #expect(await watcher.scan(store: store, clock: SystemWallClock(), endpoint: nil).isEmpty, "reported once")
        try sound.write(toFile: legacy, atomically: true, encoding: .utf8)
        let migrated = await watcher.scan(store: store, clock: SystemWallClock(), endpoint: nil)
        #expect(migrated == ["\(legacy): 1 of 1 entries moved into the job store; the file is kept as jobs-folder.json.migrated"])
        #expect(try await store.summaries().isEmpty, "the file's content was submitted by the old daemon")
        #expect(FileManager.default.fileExists(atPath: legacy + ".migrated") && !FileManager.default.fileExists(atPath: legacy))
        #expect(try await store.folderIndexEntry(path: fixture.jobFile, digest: digest)?.outcome == .submitted)
    }
}

extension Data {
    /// SHA-256, lower-case hex (the digest the jobs folder index keys contents by).
    var sha256Hex: String { SHA256.hash(data: self).map { String(format: "%02x", $0) }.joined() }
}
