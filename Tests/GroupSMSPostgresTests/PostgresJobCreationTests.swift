import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import Testing

@Suite struct PostgresJobCreationTests {
    /// Suppressed numbers and rejected entries are stored failed, the rest pending, and the
    /// summary's counts and reasons add up.
    @Test func aJobIsStoredWithItsNumbersSuppressionAndRejectedEntries() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        let store = try await fixture.store()
        try await store.connection.query("""
            INSERT INTO suppression(number, code, reason, added_at) VALUES ('+8613800000003', 'BLACK', 'opted out', 0)
            """)
        let rejected = [RejectedEntryDraft(fileIndex: 0, cell: "A9", original: "12ab", description: "not a number"),
                        RejectedEntryDraft(fileIndex: 0, cell: "A10", original: "", description: "empty")]
        var draft = PostgresJobStoreFixture.draft(6, name: "spring", rejected: rejected)
        // COPY's text format gives tabs, newlines and backslashes a meaning: they must arrive as they were.
        draft.numbers[1].cell = "B\t3\\x\n"
        draft.numbers[2] = NumberDraft(e164: draft.numbers[2].e164)
        let job = try await store.createJob(draft)
        #expect(job.state == .scheduled && job.name == "spring" && job.rate == 500 && job.runner == nil)
        #expect(job.sourceFiles == ["list.xlsx"] && job.templateID == "tpl-1")
        #expect(try await store.job(job.id) == job)
        let summary = try await store.summary(of: job.id)
        #expect(summary.total == 8)
        #expect(summary.count(.pending) == 5)
        #expect(summary.count(.failed) == 3)
        #expect(summary.failuresByReason == ["SUPPRESSED": 1, "INVALID_NUMBER": 2])
        #expect(summary.failuresByClass == [.optedOut: 1, .invalid: 2])
        let original = try await store.connection.query(
            "SELECT original, e164, cell FROM numbers WHERE job_id = \(job.id.rawValue) AND position = 6")
        let row = try #require(original.first).decode((String?, String?, String?).self)
        #expect(row.0 == "12ab" && row.1 == nil && row.2 == "A9")
        let copied = try await store.connection.query(
            "SELECT cell, file_index FROM numbers WHERE job_id = \(job.id.rawValue) AND position IN (1, 2) ORDER BY position")
        let cells = try copied.map { try $0.decode((String?, Int?).self) }
        #expect(cells.map(\.0) == ["B\t3\\x\n", nil] && cells.map(\.1) == [0, nil])
        await #expect(throws: StoreError.invalidInput("+8613800000000 appears twice in the job; deduplicate before storing")) {
            var twice = PostgresJobStoreFixture.draft(2)
            twice.numbers[1] = twice.numbers[0]
            _ = try await store.createJob(twice)
        }
        await store.close()
    }

    /// 100,000 numbers go in as two COPY streams; the time is printed for the note.
    @Test func aJobOf100000NumbersIsStoredInSeconds() async throws {
        let fixture = try await PostgresJobStoreFixture.make()
        let store = try await fixture.store()
        let draft = PostgresJobStoreFixture.draft(100_000)
        let started = ContinuousClock.now
        let job = try await store.createJob(draft)
        let elapsed = ContinuousClock.now - started
        print("PostgreSQL createJob of 100,000 numbers: \(elapsed)")
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.pending) == 100_000 && summary.total == 100_000)
        let last = try await store.connection.query(
            "SELECT e164, position FROM numbers WHERE job_id = \(job.id.rawValue) ORDER BY position DESC LIMIT 1")
        let lastRow = try #require(last.first).decode((String, Int).self)
        #expect(lastRow.0 == "+8613800099999" && lastRow.1 == 99_999)
        await store.close()
    }
}
