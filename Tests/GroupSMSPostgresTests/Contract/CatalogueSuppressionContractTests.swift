import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The suppression list, the same on both stores.
@Suite("Store contract: suppression")
struct CatalogueSuppressionContractTests {
    @Test(arguments: StoreBackend.allCases)
    func numbersAreAddedOnceKeepTheirFirstEntryAndAreRemoved(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        #expect(try await store.suppress(["+8613900000002", "+8613900000001"], code: "MANUAL", reason: "asked to stop",
                                         sourceJob: nil) == 2)
        fixture.clock.advance(by: 60)
        #expect(try await store.suppress(["+8613900000001", "+8613900000003", "+8613900000003"], code: "BLACK",
                                         reason: "blocklist", sourceJob: JobID(7)) == 1)
        let list = try await store.suppressionList()
        #expect(list.map(\.number) == ["+8613900000001", "+8613900000002", "+8613900000003"])
        #expect(list[0].code == "MANUAL" && list[0].reason == "asked to stop", "the first entry is kept")
        #expect(list[0].sourceJob == nil && list[0].addedAt == fixture.clock.now().addingTimeInterval(-60))
        #expect(list[2].sourceJob == JobID(7) && list[2].addedAt == fixture.clock.now() && list[2].code == "BLACK")
        let among = try await store.suppressionEntries(among: ["+8613900000003", "+8613900000009"])
        #expect(Array(among.keys) == ["+8613900000003"] && among["+8613900000003"] == list[2])
        #expect(try await store.suppressionEntries(among: []).isEmpty)
        #expect(try await store.suppressionEntries(among: nil).count == 3)
        #expect(try await store.unsuppress(["+8613900000002", "+8613900000009"]) == 1)
        #expect(try await store.unsuppress([]) == 0)
        #expect(try await store.suppressionList().map(\.number) == ["+8613900000001", "+8613900000003"])
        await fixture.close(store)
    }

    /// A job created after a number was suppressed stores it failed (opted-out, stage local,
    /// SUPPRESSED) instead of sending it; a number removed from the list is sent again.
    @Test(arguments: StoreBackend.allCases)
    func aNewJobStoresSuppressedNumbersAsFailed(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let draft = StoreContractFixture.draft(4)
        _ = try await store.suppress([draft.numbers[1].e164, draft.numbers[3].e164, "+447700900123"], code: "BLACK",
                                 reason: "blocklist", sourceJob: nil)
        let job = try await store.createJob(draft)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.pending) == 2 && summary.count(.failed) == 2)
        #expect(summary.failuresByReason == ["SUPPRESSED": 2] && summary.failuresByClass == [.optedOut: 2])
        #expect(try await store.unsuppress([draft.numbers[1].e164]) == 1)
        var again = StoreContractFixture.draft(4, name: "again")
        again.scheduledAt = fixture.clock.now().addingTimeInterval(3600)
        let next = try await store.createJob(again)
        #expect(try await store.summary(of: next.id).failuresByReason == ["SUPPRESSED": 1])
        await fixture.close(store)
    }

    /// Two stores (two daemons) suppress the same numbers at the same instant: each number is
    /// stored once and counted as new by exactly one of them.
    @Test(arguments: StoreBackend.allCases)
    func twoStoresSuppressingTheSameNumbersAtOnceCountEachOnce(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let first = try await fixture.store(CatalogueContractStore.self)
        let second = try await fixture.store(CatalogueContractStore.self)
        let numbers = (0..<50).map { "+86139\(String(format: "%08d", $0))" }
        async let a = first.suppress(numbers, code: "BLACK", reason: "from daemon a", sourceJob: nil)
        async let b = second.suppress(numbers.reversed(), code: "BLACK", reason: "from daemon b", sourceJob: nil)
        let added = try await [a, b]
        #expect(added.reduce(0, +) == 50, "every number is new to exactly one store: \(added)")
        #expect(try await second.suppressionList().map(\.number) == numbers)
        await fixture.close(first)
        await fixture.close(second)
    }
}
