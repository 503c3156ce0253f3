import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport

/// The facets the lifecycle contract tests open their stores as.
typealias LifecycleStore = any JobRecordStoring & JobLifecycleStoring

/// What the lifecycle tests need besides their facet: a chunk in flight, an answered chunk and
/// an appended event, through each store's own methods (`ChunkStoring` is another facet, and
/// `appendEvent` is in no protocol). Once `PostgresJobStore` conforms to `ChunkStoring`, the
/// chunk calls can go through it.
enum LifecycleDriver {
    /// Claims up to `maxNumbers` of the job's numbers into an in-flight chunk under `runner`.
    static func claim(_ store: LifecycleStore, _ job: JobID, runner: RunnerLease, maxNumbers: Int = 500,
                      pace: PaceBudget? = nil) async throws -> ChunkPlan {
        let claim: ChunkClaim
        switch store {
        case let sqlite as JobStore:
            claim = try await sqlite.claimChunk(for: job, runner: runner, maxNumbers: maxNumbers, limits: .platform,
                                                pace: pace, zones: nil)
        case let postgres as PostgresJobStore:
            claim = try await postgres.claimChunk(for: job, runner: runner, maxNumbers: maxNumbers, limits: .platform,
                                                  pace: pace)
        default:
            throw StoreContractFailure("no chunk claims on \(type(of: store))")
        }
        guard let chunk = claim.chunk else { throw StoreContractFailure("nothing claimed for \(job): \(claim)") }
        return chunk
    }

    /// Records that the platform accepted every number of `chunk`.
    static func acceptAll(_ store: LifecycleStore, _ chunk: ChunkPlan, runner: RunnerLease, at start: Date) async throws {
        let answer = StoreFixtures.acceptAll(chunk, at: start)
        switch store {
        case let sqlite as JobStore: _ = try await sqlite.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        case let postgres as PostgresJobStore: _ = try await postgres.recordChunkAnswer(chunk.id, runner: runner, answer: answer)
        default: throw StoreContractFailure("no chunk answers on \(type(of: store))")
        }
    }

    /// Appends an entry to the job's log.
    static func appendEvent(_ store: LifecycleStore, to job: JobID, kind: JobEventKind, message: String) async throws {
        switch store {
        case let sqlite as JobStore: try await sqlite.appendEvent(to: job, kind: kind, message: message)
        case let postgres as PostgresJobStore: try await postgres.appendEvent(to: job, kind: kind, message: message)
        default: throw StoreContractFailure("no appendEvent on \(type(of: store))")
        }
    }

    /// A draft of `count` numbers starting at `start` (nil: now), the numbers from
    /// +8613800000000 + `first` on, so jobs given apart ranges share no number (a number sent
    /// twice with the same content meets the frequency limits).
    static func draft(_ count: Int, name: String = "job", at start: Date?, first: Int = 0) -> JobDraft {
        var draft = StoreContractFixture.draft(count, name: name)
        draft.numbers = (first..<first + count).map {
            NumberDraft(e164: "+86138\(String(format: "%08d", $0))", fileIndex: 0, cell: "A\($0 - first + 2)")
        }
        draft.scheduledAt = start
        return draft
    }

    /// The pid of a process of this host that has exited and been reaped: on SQLite a runner
    /// recorded with it is gone at once.
    static func reapedPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// How long a runner that stopped renewing stays alive on `backend`: SQLite's heartbeat limit
    /// (`RunnerLiveness.staleAfter`, 120 s), or PostgreSQL's lease (the fixture's 15 s).
    static func silenceLimit(_ backend: StoreBackend) -> TimeInterval {
        switch backend {
        case .sqlite: RunnerLiveness().staleAfter
        case .postgres: 15
        }
    }
}
