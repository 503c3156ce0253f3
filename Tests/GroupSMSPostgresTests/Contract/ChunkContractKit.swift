import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// A store as the chunk contract tests use it: job records and chunks.
typealias ChunkContractStore = any JobRecordStoring & ChunkStoring

extension StoreContractFixture {
    /// A new store (another process) answering job records and chunks.
    func chunkStore() async throws -> ChunkContractStore {
        try await store((any JobRecordStoring & ChunkStoring).self)
    }
}

/// Builders shared by the chunk contract tests.
enum ChunkContract {
    /// At most one send of any content per number a minute (plus the 2 s margin): a second
    /// send within it is deferred, so a test can see whether a send was recorded.
    static let onePerMinute = FrequencyLimits(rules: [
        FrequencyRule(name: "1 message per minute", limit: 1, window: 60, sameContentOnly: false),
    ])

    /// At most one send of the same content per number a minute; other content goes.
    static let sameContentOncePerMinute = FrequencyLimits(rules: [
        FrequencyRule(name: "the same content once per minute", limit: 1, window: 60, sameContentOnly: true),
    ])

    /// A running job of `numbers` under `runner`, with `window` (off unless given).
    static func runningJob(_ store: ChunkContractStore, _ numbers: [String], runner: RunnerLease,
                           window: SendWindowSetting = .any, maxDefer: TimeInterval = JobSettings.defaultMaxDefer,
                           sendBy: Date? = nil) async throws -> JobID {
        var draft = StoreFixtures.draft(numbers, maxDefer: maxDefer, sendWindow: window)
        draft.sendBy = sendBy
        return try await store.createJob(draft, runner: runner).id
    }

    /// A running personalised job of `count` numbers of `block`; number i gets the tuple
    /// ["name t", "t"] with t = `tuple(i)`.
    static func personalisedJob(_ store: ChunkContractStore, _ count: Int, block: Int = 0, runner: RunnerLease,
                                tuple: (Int) -> Int) async throws -> JobID {
        var draft = StoreFixtures.draft(StoreFixtures.numbers(count, block: block), params: [])
        var sets = TemplateValueSets(arity: 2)
        let indices = (0..<count).map { sets.intern(["name \(tuple($0))", "\(tuple($0))"]) }
        draft.values = RecipientValues(header: ["Name", "Code"], valueSets: sets, valueSetIndices: indices)
        return try await store.createJob(draft, runner: runner).id
    }

    /// Accepts every number of the claim's chunk, if it has one.
    static func acceptAll(_ claim: ChunkClaim, _ store: ChunkContractStore, runner: RunnerLease, at start: Date) async throws {
        guard let chunk = claim.chunk else { return }
        _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: StoreFixtures.acceptAll(chunk, at: start))
    }

    /// Whether two instants are within a microsecond (the pace counts whole microseconds).
    static func isClose(_ date: Date, _ expected: Date) -> Bool {
        abs(date.timeIntervalSince(expected)) <= 0.000_001
    }

    /// The instant of an ISO 8601 text.
    static func instant(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text), "unreadable test instant \(text)")
    }

    /// `count` distinct UK mobile numbers (no window by default).
    static func britishNumbers(_ count: Int, block: Int = 0) -> [String] {
        (0..<count).map { "+447700" + String(format: "%01d%05d", block, $0) }
    }

    /// Mainland and UK numbers taken in turn, so file order mixes them.
    static func mixed(_ count: Int, block: Int) -> [String] {
        zip(StoreFixtures.numbers(count, block: block), britishNumbers(count, block: block)).flatMap { [$0, $1] }
    }
}
