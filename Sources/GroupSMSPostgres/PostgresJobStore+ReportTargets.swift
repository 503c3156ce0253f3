import Foundation
import GroupSMSModel
import GroupSMSStore
import PostgresNIO

extension PostgresJobStore {
    /// The transaction-scoped advisory lock ("gsheldrp" in ASCII) that orders holding a report
    /// against recording the message id it waits for.
    ///
    /// A report that overtakes its chunk's answer finds no number with its smsMsgId and is held;
    /// the answer then looks for held reports of its numbers. Under READ COMMITTED neither sees
    /// the other's uncommitted rows, so both could miss. Hence a receiver about to hold a report
    /// takes this lock exclusively and looks again, and a write that gives numbers message ids
    /// (or makes them unconfirmed) takes it shared before it looks for held reports: whichever
    /// comes second sees the first one's commit. Answers share it; only receivers holding a
    /// report wait for each other.
    static let heldReportsLock: Int64 = 0x6773_6865_6C64_7270

    /// Locks, in id order, the numbers that received `messageIDs` and keeps them as the
    /// transaction's targets. Ids no number has are looked up once more under the held-reports
    /// lock (taken exclusively here unless this transaction holds it shared) and, still unknown,
    /// noted as missing: while the lock is held no other transaction can commit such an id.
    func lockTargets(of messageIDs: [String], into context: inout PostgresReportContext,
                     on connection: PostgresConnection) async throws {
        let wanted = Array(Set(messageIDs).filter { context.targets[$0] == nil && !context.missing.contains($0) })
        guard !wanted.isEmpty else { return }
        try await cacheTargets(wanted, into: &context, on: connection)
        let unknown = wanted.filter { context.targets[$0] == nil }
        guard !unknown.isEmpty, context.heldLock != .shared else { return }
        if context.heldLock == .none {
            try await connection.run("SELECT pg_advisory_xact_lock(\(Self.heldReportsLock))", logger: self.connection.logger)
            context.heldLock = .exclusive
        }
        // A new statement, so a new snapshot: it sees every answer that committed before the lock.
        try await cacheTargets(unknown, into: &context, on: connection)
        context.missing.formUnion(unknown.filter { context.targets[$0] == nil })
    }

    /// The number that received `smsMsgId`, locked, as much of it as applying a report needs.
    func reportTarget(forMessage smsMsgId: String, context: inout PostgresReportContext,
                      on connection: PostgresConnection) async throws -> PostgresReportTarget? {
        if context.targets[smsMsgId] == nil, !context.missing.contains(smsMsgId) {
            try await lockTargets(of: [smsMsgId], into: &context, on: connection)
        }
        return context.targets[smsMsgId]
    }

    /// Takes the held-reports lock shared, for a write about to look for held reports.
    func shareHeldReportsLock(_ context: inout PostgresReportContext, on connection: PostgresConnection) async throws {
        guard context.heldLock == .none else { return }
        try await shareHeldReportsLock(on: connection)
        context.heldLock = .shared
    }

    /// Takes the held-reports lock shared (again, when the transaction has it: the lock counts).
    ///
    /// A transaction that locks a job row `FOR UPDATE` and then resolves held reports (a
    /// take-over's `settleInFlightChunks`) takes it first, before the job row: a receiver holds
    /// it exclusively while it waits for that job row (its job events' foreign key), so the
    /// other order could make each wait for the other until the server aborts one.
    func shareHeldReportsLock(on connection: PostgresConnection) async throws {
        try await connection.run("SELECT pg_advisory_xact_lock_shared(\(Self.heldReportsLock))",
                                   logger: self.connection.logger)
    }

    private func cacheTargets(_ messageIDs: [String], into context: inout PostgresReportContext,
                              on connection: PostgresConnection) async throws {
        let rows = try await connection.run("""
            SELECT sms_msg_id, id, job_id, e164, state, stage, code FROM numbers
            WHERE sms_msg_id = ANY(\(messageIDs)::text[]) ORDER BY id FOR UPDATE
            """, logger: self.connection.logger)
        for try await (messageID, id, job, e164, state, stage, code)
                in rows.decode((String, Int64, Int64, String, String, String?, String?).self)
            where context.targets[messageID] == nil {
            context.targets[messageID] = PostgresReportTarget(id: id, jobID: job, e164: e164,
                                                              state: NumberState(rawValue: state) ?? .failed,
                                                              stage: stage, code: code)
        }
    }
}

/// The number a report is about, as much as applying needs.
struct PostgresReportTarget: Sendable {
    var id: Int64
    var jobID: Int64
    var e164: String
    var state: NumberState
    var stage: String? = nil
    var code: String? = nil

    /// The number after a report moved it on.
    mutating func settle(_ state: NumberState, code: String?) {
        self.state = state
        self.code = code
        stage = state == .failed ? FailureStage.delivery.rawValue : nil
    }
}

/// One transaction's worth of report handling: the call's summary, the numbers it locked, and
/// what `finish` logs.
struct PostgresReportContext {
    /// How this transaction holds `PostgresJobStore.heldReportsLock`.
    enum HeldLock { case none, shared, exclusive }

    let now: Int64
    var summary = StatusReportBatchSummary()
    /// The cap on held reports to enforce in `finish`; nil leaves them as they are.
    var heldLimit: HeldReportLimit?
    /// Entries the receiver refused as malformed in the request (counted only).
    var malformed = 0
    var unknownSample: String?
    /// Reports this transaction stored and held (counted unknown until resolved in it).
    var heldHere: Set<Int64> = []
    /// Held reports this transaction applied.
    var resolvedHeld: Set<Int64> = []
    /// Confirmed numbers and chunk sequences per job.
    var confirmations: [Int64: (numbers: Int, chunks: Set<Int>)] = [:]
    /// Newly suppressed numbers per job and status.
    var suppressions: [Int64: [String: Int]] = [:]
    /// The numbers locked so far, by message id, as this transaction left them.
    var targets: [String: PostgresReportTarget] = [:]
    /// Message ids no number has, looked up under the exclusive held-reports lock.
    var missing: Set<String> = []
    var heldLock = HeldLock.none

    init(now: Int64, heldLimit: HeldReportLimit?) {
        self.now = now
        self.heldLimit = heldLimit
    }
}
