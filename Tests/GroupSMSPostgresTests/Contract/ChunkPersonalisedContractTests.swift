import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The claims of a personalised job (SPEC §7): numbers grouped by their values, at most 100
/// groups and 500 numbers a request, and each number's own content for the frequency limits.
@Suite("Store contract: personalised claims")
struct ChunkPersonalisedContractTests {
    @Test(arguments: StoreBackend.allCases)
    func identicalValuesShareAGroupInClaimOrder(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let id = try await ChunkContract.personalisedJob(store, 300, runner: runner) { $0 % 3 }
        let chunk = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(chunk.numbers.count == 300)
        #expect(chunk.valueGroups.map(\.params) == [["name 0", "0"], ["name 1", "1"], ["name 2", "2"]])
        #expect(chunk.valueGroups.map(\.numbers.count) == [100, 100, 100])
        #expect(Set(chunk.valueGroups.flatMap(\.numbers)) == Set(chunk.numbers), "every number in exactly one group")
        #expect(chunk.valueGroups[1].numbers.first == StoreFixtures.numbers(2)[1], "groups keep claim order")
        await fixture.close(store)
    }

    /// Values for another count of numbers than the draft has (a draft built wrongly) are
    /// refused before anything is stored, naming both counts.
    @Test(arguments: StoreBackend.allCases)
    func valuesForAnotherCountOfNumbersAreRefused(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        var draft = StoreFixtures.draft(StoreFixtures.numbers(3), params: [])
        var sets = TemplateValueSets(arity: 2)
        let indices = (0..<2).map { sets.intern(["name \($0)", "\($0)"]) }
        draft.values = RecipientValues(header: ["Name", "Code"], valueSets: sets, valueSetIndices: indices)
        await #expect {
            _ = try await store.createJob(draft, runner: nil)
        } throws: { error in
            "\(error)".contains("3 numbers but values for 2")
        }
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRequestStopsAtOneHundredGroups(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let id = try await ChunkContract.personalisedJob(store, 450, runner: runner) { $0 }
        let first = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(first.valueGroups.count == 100 && first.numbers == Array(StoreFixtures.numbers(450).prefix(100)),
                "file order; the 101st waits")
        let second = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(second.numbers.first == StoreFixtures.numbers(450)[100] && second.valueGroups.first?.params == ["name 100", "100"])
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRequestStopsAtFiveHundredNumbers(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let runner = StoreFixtures.remoteLease()
        let id = try await ChunkContract.personalisedJob(store, 700, runner: runner) { $0 % 2 }
        let first = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(first.numbers.count == 500 && first.valueGroups.count == 2)
        let second = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(second.numbers.count == 200 && second.valueGroups.map(\.numbers.count) == [100, 100])
        await fixture.close(store)
    }

    /// "The same content" is each number's own template, values and signature: under a limit
    /// of the same content once a minute, a number that got other values goes at once, one
    /// that got the same values waits.
    @Test(arguments: StoreBackend.allCases)
    func theFrequencyLimitsCompareEachNumbersOwnContent(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.chunkStore()
        let limits = ChunkContract.sameContentOncePerMinute
        var sent: [[String]] = [], deferred: [Int] = []
        // Tuple offsets: the first and third jobs give the numbers the same values, the second others.
        for (index, offset) in [0, 10, 0].enumerated() {
            let runner = StoreFixtures.remoteLease("r\(index)")
            let job = try await ChunkContract.personalisedJob(store, 2, runner: runner) { $0 + offset }
            let claim = try await store.claimChunk(for: job, runner: runner, maxNumbers: 500, limits: limits, pace: nil,
                                                   zones: nil)
            sent.append(claim.chunk?.numbers ?? [])
            deferred.append(claim.deferred)
        }
        #expect(sent[0].count == 2, "two numbers with their own values")
        #expect(sent[1].count == 2 && deferred[1] == 0, "other values are other content")
        #expect(sent[2].isEmpty && deferred[2] == 2, "the same values again are the same content")
        await fixture.close(store)
    }
}
