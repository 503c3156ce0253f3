import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
@testable import GroupSMSReports
import GroupSMSTestSupport

@Suite struct ReportApplyTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "apply")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    private func number(_ e164: String, of job: JobID) async throws -> NumberRecord {
        try #require(try await store.numbers(of: job).first { $0.e164 == e164 })
    }

    @Test func aDuplicateReportChangesNothing() async throws {
        let numbers = StoreFixtures.numbers(3)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let report = StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD", total: 1, sequence: 1,
                                  updateTime: "2026-12-01T00:00:05Z")
        let first = try await store.applyStatusReports([report])
        #expect(first.received == 1 && first.stored == 1 && first.applied == 1 && first.delivered == 1)
        clock.advance(by: 5)
        let again = try await store.applyStatusReports([report, report])
        #expect(again.received == 2 && again.duplicates == 2 && again.stored == 0 && again.delivered == 0)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.delivered) == 1 && summary.awaitingReport == 2)
        let delivered = try await number(numbers[0], of: job.id)
        #expect(delivered.reportAt == clock.now().addingTimeInterval(-5))
        #expect(try await store.statusReports(forMessage: report.smsMsgId).map(\.applied) == [true])
    }

    @Test func outOfOrderReportsEndInTheSameState() async throws {
        let numbers = StoreFixtures.numbers(3)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let delivered = { (n: Int) in StatusReport(smsMsgId: ids[numbers[n]]!, status: "DELIVRD", updateTime: "2026-12-01T00:01:00Z") }
        let failed = { (n: Int) in StatusReport(smsMsgId: ids[numbers[n]]!, status: "UNDELIV", updateTime: "2026-12-01T00:02:00Z") }
        // Number 0: the failure first, then the delivery. Number 1: the delivery first (a failure
        // after DELIVRD is recorded but does not undo it). Number 2: both in one batch.
        var summary = try await store.applyStatusReports([failed(0), delivered(1)])
        #expect(summary.failed == 1 && summary.delivered == 1)
        summary = try await store.applyStatusReports([delivered(0), failed(1)])
        #expect(summary.applied == 2 && summary.delivered == 1 && summary.failed == 0)
        summary = try await store.applyStatusReports([failed(2), delivered(2)])
        #expect(summary.applied == 2 && summary.delivered == 1)
        let states = try await store.numbers(of: job.id).map(\.state)
        #expect(states == [.delivered, .delivered, .delivered])
        #expect(try await store.statusReports(forMessage: ids[numbers[1]]!).map(\.report.status) == ["DELIVRD", "UNDELIV"])
        let record = try await number(numbers[0], of: job.id)
        #expect(record.failureClass == nil && record.code == nil && record.stage == nil)
    }

    @Test func aLongMessageIsDeliveredWhenEveryPartIs() async throws {
        let numbers = StoreFixtures.numbers(2)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let part = { (n: Int, sequence: Int, status: String) in
            StatusReport(smsMsgId: ids[numbers[n]]!, status: status, total: 3, sequence: sequence)
        }
        var summary = try await store.applyStatusReports([part(0, 3, "DELIVRD"), part(0, 2, "DELIVRD")])
        #expect(summary.applied == 2 && summary.delivered == 0)
        #expect(try await number(numbers[0], of: job.id).state == .accepted)
        summary = try await store.applyStatusReports([part(0, 1, "DELIVRD")])
        #expect(summary.delivered == 1)
        #expect(try await number(numbers[0], of: job.id).state == .delivered)

        summary = try await store.applyStatusReports([part(1, 1, "DELIVRD"), part(1, 2, "UNDELIV")])
        #expect(summary.failed == 1)
        let failed = try await number(numbers[1], of: job.id)
        #expect(failed.state == .failed && failed.code == "UNDELIV" && failed.stage == .delivery)
        // The SMSC retried part 2 and delivered it; part 3 is still missing.
        summary = try await store.applyStatusReports([part(1, 2, "DELIVRD")])
        #expect(try await number(numbers[1], of: job.id).state == .failed)
        summary = try await store.applyStatusReports([part(1, 3, "DELIVRD")])
        #expect(summary.delivered == 1)
        #expect(try await number(numbers[1], of: job.id).state == .delivered)
    }

    @Test func optedOutStatusesSuppressTheNumberForLaterJobs() async throws {
        let numbers = StoreFixtures.numbers(4)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let summary = try await store.applyStatusReports([
            StatusReport(smsMsgId: ids[numbers[0]]!, status: "BLACK"),
            StatusReport(smsMsgId: ids[numbers[1]]!, status: "SC:0016"),
            StatusReport(smsMsgId: ids[numbers[2]]!, status: "UNDELIV"),
            StatusReport(smsMsgId: ids[numbers[3]]!, status: "DELIVRD"),
            StatusReport(smsMsgId: ids[numbers[3]]!, status: "REJECTD", updateTime: "2026-12-01T01:00:00Z"),
        ])
        #expect(summary.failed == 3 && summary.delivered == 1 && summary.suppressed == 3)
        let black = try await number(numbers[0], of: job.id)
        #expect(black.state == .failed && black.failureClass == .optedOut && black.stage == .delivery && black.code == "BLACK")
        #expect(try await number(numbers[2], of: job.id).failureClass == .retryable)
        // The refusal after DELIVRD does not undo the delivery, but the number did refuse: suppressed.
        #expect(try await number(numbers[3], of: job.id).state == .delivered)
        let list = try await store.suppressionList()
        #expect(Set(list.map(\.number)) == [numbers[0], numbers[1], numbers[3]])
        #expect(list.allSatisfy { $0.sourceJob == job.id })
        #expect(list.first { $0.number == numbers[1] }?.code == "SC:0016")
        #expect(try await store.events(of: job.id).contains { $0.kind == .suppressed && $0.message.contains("3 numbers") })
        let shown = try await store.summary(of: job.id)
        #expect(shown.failuresByClass == [.optedOut: 2, .retryable: 1])
        #expect(shown.failuresByReason == ["BLACK": 1, "SC:0016": 1, "UNDELIV": 1])

        // A later job skips the suppressed numbers and says why.
        let later = try await store.createJob(StoreFixtures.draft(numbers), runner: runner)
        let claim = try await store.claimChunk(for: later.id, runner: runner)
        #expect(claim.chunk?.numbers == [numbers[2]])
        let skipped = try await store.numbers(of: later.id, states: [.failed])
        #expect(skipped.map(\.e164) == [numbers[0], numbers[1], numbers[3]])
        #expect(skipped.allSatisfy { $0.code == "SUPPRESSED" && $0.failureClass == .optedOut })
    }

    @Test func unknownMessageIDsAreCountedLoggedAndHeld() async throws {
        let numbers = StoreFixtures.numbers(1)
        _ = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        var summary = try await store.applyStatusReports([StatusReport(smsMsgId: "not-ours-1", status: "DELIVRD"),
                                                          StatusReport(smsMsgId: "not-ours-2", status: "UNDELIV")])
        #expect(summary.stored == 2 && summary.unknown == 2 && summary.applied == 0)
        summary = try await store.applyStatusReports([StatusReport(smsMsgId: "not-ours-3", status: "DELIVRD",
                                                                   extend: "campaign-7", to: "+447700900123")])
        #expect(summary.unknown == 1)
        #expect(try await store.statusReportCounts() == StatusReportCounts(unknownReceived: 3, held: 3))
        let events = try await store.dataDirEvents()
        #expect(events.map(\.kind) == [.unknownReports, .unknownReports])
        #expect(events[0].message.contains("2 status reports") && events[0].message.contains("not-ours-1"))
        #expect(try await store.unappliedStatusReports().isEmpty, "held reports are processed, not pending")
    }

    @Test func aReportThatOvertakesItsChunkAnswerIsAppliedWhenTheAnswerIsRecorded() async throws {
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(3)), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        let early = try await store.applyStatusReports([StatusReport(smsMsgId: "\(chunk.extendTag)-1", status: "DELIVRD",
                                                                     extend: chunk.extendTag, to: chunk.numbers[1])])
        #expect(early.unknown == 1, "the number is still in flight: no id yet, nothing to confirm")
        _ = try await store.recordChunkAnswer(chunk.id, runner: runner, answer: StoreFixtures.acceptAll(chunk, at: clock.now()))
        #expect(try await number(chunk.numbers[1], of: job.id).state == .delivered)
        #expect(try await store.statusReportCounts() == StatusReportCounts(unknownReceived: 1, held: 0))
    }

    @Test func extendConfirmsTheUnconfirmedNumbersOfItsChunk() async throws {
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(6)), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        let sentAt = clock.now()
        clock.advance(by: 30)
        _ = try await store.markChunkUnconfirmed(chunk.id, runner: runner, reason: "timed out", requestStartedAt: sentAt)
        clock.advance(by: 600)
        let n = chunk.numbers
        // A foreign data dir's tag and an unknown chunk of ours confirm nothing.
        let foreign = try await store.applyStatusReports([
            StatusReport(smsMsgId: "x-1", status: "DELIVRD", extend: "zzzzj1c1", to: n[0]),
            StatusReport(smsMsgId: "x-2", status: "DELIVRD", extend: "\(store.instanceTag)j1c9", to: n[0]),
        ])
        #expect(foreign.confirmed == 0 && foreign.unknown == 2)
        // With `to` (here without its +): only that number, which takes the message id.
        var summary = try await store.applyStatusReports([
            StatusReport(smsMsgId: "p-2", status: "DELIVRD", extend: chunk.extendTag, to: String(n[2].dropFirst())),
        ])
        #expect(summary.confirmed == 1 && summary.applied == 1 && summary.unknown == 0 && summary.delivered == 1)
        let confirmed = try await number(n[2], of: job.id)
        #expect(confirmed.state == .delivered && confirmed.smsMsgId == "p-2" && confirmed.acceptedAt == sentAt)
        #expect(try await store.summary(of: job.id).count(.unconfirmed) == 5)
        // Without `to`: every remaining unconfirmed number of the chunk, with no message id.
        summary = try await store.applyStatusReports([StatusReport(smsMsgId: "p-x", status: "DELIVRD", extend: chunk.extendTag)])
        #expect(summary.confirmed == 5 && summary.unknown == 1)
        let counts = try await store.summary(of: job.id)
        #expect(counts.count(.accepted) == 5 && counts.count(.unconfirmed) == 0 && counts.count(.delivered) == 1)
        #expect(try await store.numbers(of: job.id, states: [.accepted]).allSatisfy { $0.acceptedAt == sentAt && $0.failureClass == nil })
        let logged = try await store.events(of: job.id).filter { $0.kind == .confirmed }
        #expect(logged.count == 2 && logged[1].message.contains("5 unconfirmed numbers of chunk 1"))
        // A number confirmed without a message id is found by its own report's `to`, now or after expiry.
        summary = try await store.applyStatusReports([StatusReport(smsMsgId: "p-3", status: "UNDELIV",
                                                                   extend: chunk.extendTag, to: n[3])])
        #expect(summary.applied == 1 && summary.confirmed == 0 && summary.failed == 1)
        let reported = try await number(n[3], of: job.id)
        #expect(reported.smsMsgId == "p-3" && reported.code == "UNDELIV")
        clock.advance(by: 72 * 3600)
        #expect(try await store.expireOverdueReports() == 4)
        let unencodedPlus = try StatusReportParser.parseSingle("smsMsgId=p-4&status=DELIVRD&extend=\(chunk.extendTag)&to=\(n[4])")
        #expect(unencodedPlus.to == " " + n[4].dropFirst())
        summary = try await store.applyStatusReports([unencodedPlus])
        #expect(summary.applied == 1 && summary.delivered == 1)
        #expect(try await store.summary(of: job.id).failuresByReason == ["UNDELIV": 1, "EXPIRED": 3])
    }

    @Test func aHeldReportConfirmsItsChunkWhenTheChunkBecomesUnconfirmed() async throws {
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(2)), runner: runner)
        let chunk = try #require(try await store.claimChunk(for: job.id, runner: runner).chunk)
        // Part 2 arrives first, while the request is still in flight; then part 1.
        let parts = [2, 1].map { StatusReport(smsMsgId: "long-1", status: "DELIVRD", total: 2, sequence: $0,
                                                extend: chunk.extendTag, to: chunk.numbers[0]) }
        #expect(try await store.applyStatusReports([parts[0]]).unknown == 1)
        #expect(try await store.applyStatusReports([parts[1]]).unknown == 1)
        _ = try await store.markChunkUnconfirmed(chunk.id, runner: runner, reason: "connection reset")
        let record = try await number(chunk.numbers[0], of: job.id)
        #expect(record.state == .delivered && record.smsMsgId == "long-1")
        #expect(try await number(chunk.numbers[1], of: job.id).state == .unconfirmed)
        #expect(try await store.statusReportCounts().held == 0)
    }

    @Test func concurrentSingleReportsAreAppliedInGroupCommits() async throws {
        let numbers = StoreFixtures.numbers(120)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        let summaries = try await withThrowingTaskGroup(of: StatusReportBatchSummary.self) { group in
            for (index, number) in numbers.enumerated() {
                group.addTask {
                    let status = index % 4 == 0 ? "UNDELIV" : "DELIVRD"
                    return try await store.receiveAndApplyStatusReports([StatusReport(smsMsgId: ids[number]!, status: status)])
                }
            }
            group.addTask { try await store.receiveAndApplyStatusReports([StatusReport(smsMsgId: "stranger", status: "DELIVRD")]) }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(summaries.count == 121)
        #expect(summaries.filter { $0.applied == 1 && $0.stored == 1 }.count == 120)
        #expect(summaries.filter { $0.unknown == 1 }.count == 1)
        let summary = try await store.summary(of: job.id)
        #expect(summary.count(.delivered) == 90 && summary.count(.failed) == 30 && summary.awaitingReport == 0)
    }

    @Test func reportsStoredWithoutApplyingAreAppliedByTheSweep() async throws {
        let numbers = StoreFixtures.numbers(2)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        _ = try await store.storeStatusReports([StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD"),
                                                StatusReport(smsMsgId: "unknown-9", status: "DELIVRD")])
        _ = try await store.receiveStatusReports([StatusReport(smsMsgId: ids[numbers[1]]!, status: "MBBLACK")])
        #expect(try await store.unappliedStatusReports().count == 3)
        let summary = try await store.applyStoredStatusReports()
        #expect(summary.received == 3 && summary.applied == 2 && summary.unknown == 1 && summary.suppressed == 1)
        #expect(try await store.unappliedStatusReports().isEmpty)
        #expect(try await store.applyStoredStatusReports().received == 0)
        #expect(try await store.numbers(of: job.id).map(\.state) == [.delivered, .failed])
    }

    @Test func theInjectedClassifierDecidesClassesAndDescriptions() async throws {
        struct StrictClassifier: ReportStatusClassifier {
            func verdict(for status: String) -> ReportStatusVerdict {
                status == "DELIVRD" ? .delivered : .failed(status == "UNDELIV" ? .optedOut : .retryable)
            }
            func description(for status: String) -> String { "catalogue text for \(status)" }
        }
        let strict = try JobStore(dataDirectory: folder.path, clock: clock,
                                  options: JobStoreOptions(reportClassifier: StrictClassifier()))
        let numbers = StoreFixtures.numbers(2)
        let (job, ids) = try await ReportFixtures.acceptedJob(strict, numbers: numbers, runner: runner)
        _ = try await strict.applyStatusReports([StatusReport(smsMsgId: ids[numbers[0]]!, status: "UNDELIV"),
                                                 StatusReport(smsMsgId: ids[numbers[1]]!, status: "ACCEPTD")])
        let records = try await strict.numbers(of: job.id)
        #expect(records[0].failureClass == .optedOut && records[0].description == "catalogue text for UNDELIV")
        #expect(records[1].failureClass == .retryable && records[1].code == "ACCEPTD")
        #expect(try await strict.suppressionList().map(\.reason) == ["catalogue text for UNDELIV"])
    }
}
