import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore

/// The store's side of the receiver journal: each line applied once, its count recorded in the
/// same transaction.
@Suite struct JournalApplyTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "journal-apply")
    }

    @Test func theStoreAppliesEachJournalLineOnceWhereverAReplayStarts() async throws {
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        let numbers = StoreFixtures.numbers(3)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let entries = numbers.map {
            JournaledStatusReports(reports: [StatusReport(smsMsgId: ids[$0]!, status: "DELIVRD")], malformedEntries: 2)
        }
        let first = try await store.applyJournaledStatusReports(Array(entries.prefix(2)), journal: "j", firstLine: 0)
        let again = try await store.applyJournaledStatusReports(entries, journal: "j", firstLine: 0)
        #expect(first.applied == 2 && again.received == 1 && again.applied == 1)
        #expect(try await store.appliedJournalLines("j") == 3)
        await #expect(throws: StoreError.self) {
            _ = try await store.applyJournaledStatusReports(entries, journal: "j", firstLine: 4)
        }
        #expect(try await store.statusReportIntakeCounts().malformed == 6)
        #expect(try await store.summary(of: job.id).count(.delivered) == 3)
        try await store.forgetJournal("j")
        #expect(try await store.journalsApplied().isEmpty)
    }
}
