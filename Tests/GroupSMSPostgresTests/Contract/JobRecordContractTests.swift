import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Creating, reading and starting jobs, the same on both stores.
@Suite("Store contract: job records")
struct JobRecordContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aCreatedJobIsReadBackWithItsNumbersAndRejectedEntries(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store((any JobRecordStoring).self)
        let rejected = [RejectedEntryDraft(fileIndex: 0, cell: "A9", original: "12ab", description: "not a number")]
        let job = try await store.createJob(StoreContractFixture.draft(5, name: "spring", rejected: rejected))
        #expect(job.state == .scheduled && job.name == "spring")
        let again = try await store.job(job.id)
        #expect(again == job)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.pending) == 5 && summary.count(.failed) == 1)
        await fixture.close(store)
    }

    /// Two stores (two processes) start the same due job at the same instant: one wins, the
    /// other is refused, and the job names the winner.
    @Test(arguments: StoreBackend.allCases)
    func aJobStartsOnceWhenTwoStoresStartItAtOnce(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let first = try await fixture.store((any JobRecordStoring).self)
        let second = try await fixture.store((any JobRecordStoring).self)
        let job = try await first.createJob(StoreContractFixture.draft(3))
        async let a = Result(catching: { try await first.startJob(job.id, runner: StoreContractFixture.runner("a")) })
        async let b = Result(catching: { try await second.startJob(job.id, runner: StoreContractFixture.runner("b")) })
        let results = await [a, b]
        let started = results.compactMap { try? $0.get() }
        #expect(started.count == 1, "exactly one start wins: \(results)")
        let winner = try #require(started.first?.runner?.host)
        #expect(try await first.job(job.id).runner?.host == winner)
        await fixture.close(first)
        await fixture.close(second)
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
