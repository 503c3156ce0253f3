import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

/// Schema 7 and the claims of a personalised job (SPEC §7): values stored once, numbers grouped
/// by their values, at most 100 groups and 500 numbers a request.
@Suite struct PersonalisedClaimTests {
    let folder: TemporaryDirectory
    let store: JobStore
    let runner = RunnerLease.forThisProcess()

    init() throws {
        folder = try TemporaryDirectory(prefix: "personal-claims")
        store = try JobStore(dataDirectory: folder.path, clock: SystemWallClock())
    }

    /// A running job of `count` numbers; number i gets tuple `tuple(i)` of ["name t", "t"].
    private func job(_ count: Int, tuple: (Int) -> Int) async throws -> JobID {
        var draft = StoreFixtures.draft(StoreFixtures.numbers(count), params: [])
        var sets = TemplateValueSets(arity: 2)
        let indices = (0..<count).map { sets.intern(["name \(tuple($0))", "\(tuple($0))"]) }
        draft.values = RecipientValues(header: ["Name", "Code"], valueSets: sets, valueSetIndices: indices)
        return try await store.createJob(draft, runner: runner).id
    }

    @Test func identicalValuesShareAGroupAndEachTupleIsStoredOnce() async throws {
        let id = try await job(300) { $0 % 3 }
        #expect(try await store.variablesHeader(of: id) == ["Name", "Code"])
        let chunk = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(chunk.numbers.count == 300)
        #expect(chunk.valueGroups.map(\.params) == [["name 0", "0"], ["name 1", "1"], ["name 2", "2"]])
        #expect(chunk.valueGroups.map(\.numbers.count) == [100, 100, 100])
        #expect(Set(chunk.valueGroups.flatMap(\.numbers)) == Set(chunk.numbers), "every number in exactly one group")
        #expect(chunk.valueGroups[1].numbers.first == StoreFixtures.numbers(2)[1], "groups keep claim order")
    }

    @Test func aRequestStopsAtOneHundredGroups() async throws {
        let id = try await job(450) { $0 }
        let first = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(first.valueGroups.count == 100 && first.numbers.count == 100)
        #expect(first.numbers == Array(StoreFixtures.numbers(450).prefix(100)), "file order; the 101st waits")
        let second = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(second.numbers.first == StoreFixtures.numbers(450)[100])
    }

    @Test func aRequestStopsAtFiveHundredNumbers() async throws {
        let id = try await job(700) { $0 % 2 }
        let first = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        #expect(first.numbers.count == 500 && first.valueGroups.count == 2)
    }

    @Test func theFrequencyLimitsCompareEachNumbersOwnContent() async throws {
        let id = try await job(2) { $0 }
        _ = try #require(try await store.claimChunk(for: id, runner: runner).chunk)
        let keys = try await store.sendHistoryContentKeys(of: id)
        #expect(keys.count == 2, "two numbers with other values send other content: \(keys)")
        let job = try await store.job(id)
        #expect(!keys.contains(job.contentKey), "not the job's shared key")
    }

    @Test func tuplesAreWrittenAsJSONThatReadsBackExactly() {
        let values = ["plain", "quote \" and \\ back", "line\nbreak\ttab", "\u{01}\u{1F}control", "中文 😀", ""]
        #expect(StoreJSON.strings(StoreJSON.encode(values)) == values)
        #expect(StoreJSON.encode(["a/b", "x"]) == #"["a/b","x"]"#)
    }
}
