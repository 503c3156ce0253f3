import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
@testable import GroupSMSReports

/// When the store cannot take reports at once they are journaled, answered 200, and applied
/// later, in order, exactly once.
@Suite struct ReceiverJournalTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let runner = StoreFixtures.remoteLease()
    static let success = #"{"returnCode":0,"returnCodeDesc":"Success"}"#

    init() throws {
        folder = try TemporaryDirectory(prefix: "receiver-journal")
    }

    private var journalFolder: String { folder.path + "/reports-journal" }

    private func journalFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: journalFolder)) ?? []).sorted()
    }

    private static func quickRetries() -> StatusReportReceiverOptions {
        var options = StatusReportReceiverOptions()
        options.storeWait = .milliseconds(100)
        options.replayRetry = .milliseconds(50)
        options.replayRetryLimit = .milliseconds(200)
        return options
    }

    @Test func reportsArrivingWhileAnotherConnectionHoldsTheStoreAreJournaledAndAppliedAfter() async throws {
        // The store waits up to 2 s for the lock, longer than a request waits for it (100 ms).
        let store = try JobStore(dataDirectory: folder.path, clock: clock, options: JobStoreOptions(busyTimeout: .seconds(2)))
        let numbers = StoreFixtures.numbers(8)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let blocker = try SQLiteConnection(path: store.databasePath, busyTimeout: .milliseconds(50), durability: .full)
        _ = try blocker.execute("BEGIN EXCLUSIVE")
        let http = try await ReceiverHarness.start(store: store, options: Self.quickRetries())
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for number in numbers.prefix(5) {
                group.addTask { try await http.postForm(["smsMsgId": ids[number]!, "status": "DELIVRD"]).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let batch = try await http.postBatch(numbers.suffix(3).map { StatusReport(smsMsgId: ids[$0]!, status: "UNDELIV") })
        let whileLocked = http.receiver.counters()
        let filesWhileLocked = journalFiles()
        _ = try blocker.execute("ROLLBACK")
        try await waitUntil(seconds: 60, "the journaled reports are applied after the lock is released") {
            http.receiver.counters().replayed == 8
        }
        try await waitUntil(seconds: 10, "the applied journal is removed") { journalFiles().isEmpty }
        let after = http.receiver.counters()
        await http.stop()
        #expect(statuses == [200, 200, 200, 200, 200] && batch.status == 200 && batch.body == Self.success)
        #expect(whileLocked.journaled == 8 && whileLocked.applied == 0 && whileLocked.storeErrors >= 1)
        #expect(filesWhileLocked.count == 1 && filesWhileLocked[0].hasSuffix(".jsonl"))
        #expect(after.applied == 8 && after.duplicates == 0 && after.delivered == 5 && after.failed == 3)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.delivered) == 5 && summary.count(.failed) == 3)
        #expect(try await store.journalsApplied().isEmpty)
    }

    @Test func aJournalLeftHalfAppliedByACrashIsAppliedOnceByTheNextReceiver() async throws {
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        let numbers = StoreFixtures.numbers(4)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let entries = numbers.map { JournalEntry(reports: [StatusReport(smsMsgId: ids[$0]!, status: "DELIVRD")], malformed: 1) }
        let name = "20261130T235959Z-4242-dead.jsonl"
        try FileManager.default.createDirectory(atPath: journalFolder, withIntermediateDirectories: true)
        var bytes = try entries.flatMap { try $0.line(at: clock.now()) }
        // The crash cut the last line before it was durable (its request was never answered).
        bytes += Array(#"{"malformed":0,"reports":[{"smsMsgId":"#.utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: journalFolder + "/" + name))
        // The crashed receiver applied the first two lines, then died before removing the file.
        _ = try await store.applyJournaledStatusReports(entries.prefix(2).map(\.journaled), journal: name, firstLine: 0)
        let http = try await ReceiverHarness.start(store: store, options: Self.quickRetries())
        try await waitUntil(seconds: 30, "the left journal is applied and removed") { journalFiles().isEmpty }
        let counters = http.receiver.counters()
        await http.stop()
        #expect(counters.replayed == 2 && counters.applied == 2 && counters.duplicates == 0)
        #expect(try await store.summary(of: job.id).count(.delivered) == 4)
        #expect(try await store.statusReportIntakeCounts().malformed == 4, "each line's malformed count taken once")
        #expect(try await store.journalsApplied().isEmpty)
    }
}
