import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSTestSupport
import PostgresNIO
import Testing
@testable import GroupSMSStore

/// A `ReportStoring` store on either backend, with what report tests need around it: jobs whose
/// numbers the platform accepted, claims and answers, and reads of numbers, events and the
/// suppression list.
///
/// Claims, answers and those reads go to the concrete store (`JobStore` or `PostgresJobStore`):
/// on PostgreSQL the chunk, lifecycle and catalogue facets are not all there yet, and a test of
/// reports must not depend on them. The reads on PostgreSQL are plain SQL over the same columns.
struct ReportHarness {
    typealias Store = any JobRecordStoring & ReportStoring
    let fixture: StoreContractFixture
    let store: Store

    /// A new store on `fixture` (its own connection, like another daemon).
    static func open(_ fixture: StoreContractFixture, leaseDuration: TimeInterval = 15) async throws -> ReportHarness {
        ReportHarness(fixture: fixture, store: try await fixture.store(Store.self, leaseDuration: leaseDuration))
    }

    var clock: ManualWallClock { fixture.clock }

    func close() async { await fixture.close(store) }

    /// The receiver's call, with a wait long enough never to run out here.
    func receive(_ reports: [StatusReport], malformed: Int = 0,
                 heldLimit: HeldReportLimit = .standard) async throws -> StatusReportBatchSummary {
        try #require(try await store.receiveAndApplyStatusReports(reports, malformedEntries: malformed, heldLimit: heldLimit,
                                                                  waitingAtMost: .seconds(60)))
    }

    /// A job of `count` numbers created running under `runner`, every number sent and accepted
    /// (message id `<tag>-<index>`); the job and each number's message id.
    func acceptedJob(_ count: Int, runner: RunnerLease, name: String = "job") async throws
        -> (job: JobRecord, numbers: [String], ids: [String: String]) {
        let job = try await store.createJob(StoreContractFixture.draft(count, name: name), runner: runner)
        var ids: [String: String] = [:]
        var numbers: [String] = []
        while let chunk = try await claim(job.id, runner: runner) {
            _ = try await answer(chunk.id, runner: runner, StoreFixtures.acceptAll(chunk, at: clock.now()))
            for (index, number) in chunk.numbers.enumerated() { ids[number] = "\(chunk.extendTag)-\(index)" }
            numbers += chunk.numbers
        }
        return (job, numbers, ids)
    }

    // MARK: Chunks, through the concrete store

    func claim(_ job: JobID, runner: RunnerLease, maxNumbers: Int = 500) async throws -> ChunkPlan? {
        switch store {
        case let sqlite as JobStore: return try await sqlite.claimChunk(for: job, runner: runner, maxNumbers: maxNumbers).chunk
        case let postgres as PostgresJobStore:
            return try await postgres.claimChunk(for: job, runner: runner, maxNumbers: maxNumbers).chunk
        default: throw StoreContractFailure("no chunk operations on \(type(of: store))")
        }
    }

    func answer(_ chunk: ChunkID, runner: RunnerLease, _ answer: ChunkAnswer) async throws -> ChunkSettlement {
        switch store {
        case let sqlite as JobStore: return try await sqlite.recordChunkAnswer(chunk, runner: runner, answer: answer)
        case let postgres as PostgresJobStore: return try await postgres.recordChunkAnswer(chunk, runner: runner, answer: answer)
        default: throw StoreContractFailure("no chunk operations on \(type(of: store))")
        }
    }

    func unconfirm(_ chunk: ChunkID, runner: RunnerLease, reason: String, requestStartedAt: Date? = nil) async throws {
        switch store {
        case let sqlite as JobStore:
            _ = try await sqlite.markChunkUnconfirmed(chunk, runner: runner, reason: reason, requestStartedAt: requestStartedAt)
        case let postgres as PostgresJobStore:
            _ = try await postgres.markChunkUnconfirmed(chunk, runner: runner, reason: reason, requestStartedAt: requestStartedAt)
        default: throw StoreContractFailure("no chunk operations on \(type(of: store))")
        }
    }

    // MARK: Reads

    /// The job's numbers in file order.
    func numbers(of job: JobID) async throws -> [NumberRecord] {
        if let sqlite = store as? JobStore { return try await sqlite.numbers(of: job) }
        return try await rows("""
            SELECT id, position, e164, state, failure_class, stage, code, description, sms_msg_id, accepted_at, report_at
            FROM numbers WHERE job_id = \(job.rawValue) ORDER BY position
            """).map { row in
            let (id, position, e164, state, failureClass, stage, code, description, messageID, acceptedAt, reportAt) =
                try row.decode((Int64, Int64, String?, String, String?, String?, String?, String?, String?, Int64?,
                                Int64?).self)
            return NumberRecord(id: id, jobID: job, position: Int(position), e164: e164,
                                state: NumberState(rawValue: state) ?? .failed,
                                failureClass: failureClass.flatMap(FailureClass.init(rawValue:)),
                                stage: stage.flatMap(FailureStage.init(rawValue:)), code: code, description: description,
                                smsMsgId: messageID, acceptedAt: acceptedAt.map(Self.date), reportAt: reportAt.map(Self.date))
        }
    }

    func number(_ e164: String, of job: JobID) async throws -> NumberRecord {
        try #require(try await numbers(of: job).first { $0.e164 == e164 }, "\(e164) is a number of \(job)")
    }

    /// The job's event log, oldest first.
    func events(of job: JobID) async throws -> [(kind: JobEventKind, message: String)] {
        if let sqlite = store as? JobStore { return try await sqlite.events(of: job).map { ($0.kind, $0.message) } }
        return try await rows("SELECT kind, message FROM job_events WHERE job_id = \(job.rawValue) ORDER BY id").map {
            let (kind, message) = try $0.decode((String, String).self)
            return (JobEventKind(rawValue: kind), message)
        }
    }

    /// The store's own log (about no single job), oldest first.
    func storeEvents() async throws -> [(kind: JobEventKind, message: String)] {
        if let sqlite = store as? JobStore { return try await sqlite.dataDirEvents().map { ($0.kind, $0.message) } }
        return try await rows("SELECT kind, message FROM store_events ORDER BY id").map {
            let (kind, message) = try $0.decode((String, String).self)
            return (JobEventKind(rawValue: kind), message)
        }
    }

    /// The suppression list, by number.
    func suppression() async throws -> [(number: String, code: String, reason: String, sourceJob: JobID?)] {
        if let sqlite = store as? JobStore {
            return try await sqlite.suppressionList().map { ($0.number, $0.code, $0.reason, $0.sourceJob) }
        }
        return try await rows("SELECT number, code, reason, source_job_id FROM suppression ORDER BY number").map {
            let (number, code, reason, source) = try $0.decode((String, String, String, Int64?).self)
            return (number, code, reason, source.map(JobID.init))
        }
    }

    /// Whether each stored report of the message was applied, oldest first (false: held).
    func reportsApplied(forMessage smsMsgId: String) async throws -> [Bool] {
        if let sqlite = store as? JobStore { return try await sqlite.statusReports(forMessage: smsMsgId).map(\.applied) }
        return try await rows("SELECT applied FROM status_reports WHERE sms_msg_id = \(smsMsgId) ORDER BY id").map {
            try $0.decode(Int64.self) == 1
        }
    }

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        guard let postgres = store as? PostgresJobStore else { throw StoreContractFailure("not a PostgreSQL store") }
        return try await postgres.connection.query(query)
    }

    private static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
