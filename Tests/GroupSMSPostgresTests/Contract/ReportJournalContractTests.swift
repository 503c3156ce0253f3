import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The store's side of the receiver journal, the same on both stores: each line applied once,
/// its count recorded in the same transaction, wherever a replay starts and however many run.
@Suite("Store contract: journaled status reports")
struct ReportJournalContractTests {
    @Test(arguments: StoreBackend.allCases)
    func theStoreAppliesEachJournalLineOnceWhereverAReplayStarts(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let store = harness.store
        let (job, numbers, ids) = try await harness.acceptedJob(3, runner: StoreContractFixture.runner("a"))
        let entries = numbers.map {
            JournaledStatusReports(reports: [StatusReport(smsMsgId: ids[$0]!, status: "DELIVRD")], malformedEntries: 2)
        }
        #expect(try await store.appliedJournalLines("j") == 0)
        let first = try await store.applyJournaledStatusReports(Array(entries.prefix(2)), journal: "j", firstLine: 0,
                                                                heldLimit: .standard)
        let again = try await store.applyJournaledStatusReports(entries, journal: "j", firstLine: 0, heldLimit: .standard)
        #expect(first.applied == 2 && again.received == 1 && again.applied == 1)
        #expect(try await store.appliedJournalLines("j") == 3)
        await #expect(throws: StoreError.self) {
            _ = try await store.applyJournaledStatusReports(entries, journal: "j", firstLine: 4, heldLimit: .standard)
        }
        #expect(try await store.appliedJournalLines("j") == 3, "a refused replay records nothing")
        #expect(try await store.statusReportIntakeCounts().malformed == 6)
        #expect(try await store.summary(of: job.id).count(.delivered) == 3)
        _ = try await store.applyJournaledStatusReports([], journal: "k", firstLine: 0, heldLimit: .standard)
        #expect(try await store.journalsApplied() == ["j": 3, "k": 0])
        try await store.forgetJournal("j")
        #expect(try await store.journalsApplied() == ["k": 0])
        #expect(try await store.appliedJournalLines("j") == 0)
        await harness.close()
    }

    /// Two daemons replay the same journal at the same moment: every line is applied once.
    @Test(arguments: StoreBackend.allCases)
    func twoReplaysOfOneJournalAtOnceApplyEachLineOnce(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let first = try await ReportHarness.open(fixture)
        let second = try await ReportHarness.open(fixture)
        let (job, numbers, ids) = try await first.acceptedJob(40, runner: StoreContractFixture.runner("a"))
        let entries = numbers.map {
            JournaledStatusReports(reports: [StatusReport(smsMsgId: ids[$0]!, status: "UNDELIV")], malformedEntries: 1)
        }
        async let a = first.store.applyJournaledStatusReports(entries, journal: "shared", firstLine: 0, heldLimit: .standard)
        async let b = second.store.applyJournaledStatusReports(entries, journal: "shared", firstLine: 0, heldLimit: .standard)
        let (one, other) = try await (a, b)
        #expect(one.applied + other.applied == 40 && one.stored + other.stored == 40)
        #expect(one.duplicates + other.duplicates == 0, "the later replay skips the lines, not only the reports")
        #expect(try await first.store.appliedJournalLines("shared") == 40)
        #expect(try await first.store.statusReportIntakeCounts().malformed == 40)
        #expect(try await first.store.summary(of: job.id).count(.failed) == 40)
        await first.close()
        await second.close()
    }
}
