import Foundation
import GroupSMSModel
import GroupSMSPostgres
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Reports for message ids no number has, and reports whose `extend` confirms a chunk, the
/// same on both stores: counted, logged, held within the limit, applied once the number appears.
@Suite("Store contract: held and confirming reports")
struct ReportHeldContractTests {
    @Test(arguments: StoreBackend.allCases)
    func unknownMessageIDsAreCountedLoggedAndHeld(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        _ = try await harness.acceptedJob(1, runner: StoreContractFixture.runner("a"))
        var summary = try await harness.receive([StatusReport(smsMsgId: "not-ours-1", status: "DELIVRD"),
                                                 StatusReport(smsMsgId: "not-ours-2", status: "UNDELIV")], malformed: 2)
        #expect(summary.stored == 2 && summary.unknown == 2 && summary.applied == 0)
        summary = try await harness.receive([StatusReport(smsMsgId: "not-ours-3", status: "DELIVRD",
                                                          extend: "campaign-7", to: "+447700900123")])
        #expect(summary.unknown == 1)
        let counts = try await harness.store.statusReportIntakeCounts()
        #expect(counts.unknownReceived == 3 && counts.held == 3 && counts.malformed == 2 && counts.droppedHeld == 0)
        let events = try await harness.storeEvents()
        #expect(events.map(\.kind) == [.unknownReports, .unknownReports])
        #expect(events[0].message.contains("2 status reports") && events[0].message.contains("not-ours-1"))
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func heldReportsBeyondTheLimitAreDroppedOldestFirst(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let limit = HeldReportLimit(count: 2, maximumAge: .seconds(3600))
        for index in 0..<3 {
            _ = try await harness.receive([StatusReport(smsMsgId: "stranger-\(index)", status: "DELIVRD")], heldLimit: limit)
        }
        var counts = try await harness.store.statusReportIntakeCounts()
        #expect(counts.held == 2 && counts.droppedHeld == 1 && counts.unknownReceived == 3)
        #expect(try await harness.reportsApplied(forMessage: "stranger-0").isEmpty, "the oldest went first")
        fixture.clock.advance(by: 3601)
        _ = try await harness.receive([StatusReport(smsMsgId: "stranger-3", status: "DELIVRD")], heldLimit: limit)
        counts = try await harness.store.statusReportIntakeCounts()
        #expect(counts.held == 1 && counts.droppedHeld == 3, "the two older than an hour are dropped")
        #expect(try await harness.storeEvents().last?.message.contains("dropped the 2 oldest held status reports") == true)
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func extendConfirmsTheUnconfirmedNumbersOfItsChunk(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let runner = StoreContractFixture.runner("a")
        let job = try await harness.store.createJob(StoreContractFixture.draft(6), runner: runner)
        let chunk = try #require(try await harness.claim(job.id, runner: runner))
        let sentAt = fixture.clock.now()
        fixture.clock.advance(by: 30)
        try await harness.unconfirm(chunk.id, runner: runner, reason: "timed out", requestStartedAt: sentAt)
        fixture.clock.advance(by: 600)
        let n = chunk.numbers
        let instance = String(chunk.extendTag.prefix(4))
        // A foreign store's tag and an unknown chunk of ours confirm nothing.
        let foreign = try await harness.receive([
            StatusReport(smsMsgId: "x-1", status: "DELIVRD", extend: "zzzzj1c1", to: n[0]),
            StatusReport(smsMsgId: "x-2", status: "DELIVRD", extend: "\(instance)j1c9", to: n[0]),
        ])
        #expect(foreign.confirmed == 0 && foreign.unknown == 2)
        // With `to` (here without its +): only that number, which takes the message id.
        var summary = try await harness.receive([
            StatusReport(smsMsgId: "p-2", status: "DELIVRD", extend: chunk.extendTag, to: String(n[2].dropFirst())),
        ])
        #expect(summary.confirmed == 1 && summary.applied == 1 && summary.unknown == 0 && summary.delivered == 1)
        let confirmed = try await harness.number(n[2], of: job.id)
        #expect(confirmed.state == .delivered && confirmed.smsMsgId == "p-2" && confirmed.acceptedAt == sentAt)
        #expect(try await harness.store.summary(of: job.id).count(.unconfirmed) == 5)
        // Without `to`: every remaining unconfirmed number of the chunk, with no message id.
        summary = try await harness.receive([StatusReport(smsMsgId: "p-x", status: "DELIVRD", extend: chunk.extendTag)])
        #expect(summary.confirmed == 5 && summary.unknown == 1)
        let counts = try await harness.store.summary(of: job.id)
        #expect(counts.count(.accepted) == 5 && counts.count(.unconfirmed) == 0 && counts.count(.delivered) == 1)
        let accepted = try await harness.numbers(of: job.id).filter { $0.state == .accepted }
        #expect(accepted.allSatisfy { $0.acceptedAt == sentAt && $0.failureClass == nil })
        let logged = try await harness.events(of: job.id).filter { $0.kind == .confirmed }
        #expect(logged.count == 2 && logged[1].message.contains("5 unconfirmed numbers of chunk 1"))
        // A number confirmed without a message id is found by its own report's `to`, now or after expiry.
        summary = try await harness.receive([StatusReport(smsMsgId: "p-3", status: "UNDELIV", extend: chunk.extendTag,
                                                          to: n[3])])
        #expect(summary.applied == 1 && summary.confirmed == 0 && summary.failed == 1)
        let reported = try await harness.number(n[3], of: job.id)
        #expect(reported.smsMsgId == "p-3" && reported.code == "UNDELIV")
        fixture.clock.advance(by: 72 * 3600)
        #expect(try await harness.store.expireOverdueReports(now: nil) == 4)
        summary = try await harness.receive([StatusReport(smsMsgId: "p-4", status: "DELIVRD", extend: chunk.extendTag,
                                                          to: " " + n[4].dropFirst())])
        #expect(summary.applied == 1 && summary.delivered == 1, "an unencoded + arrives as a space")
        #expect(try await harness.store.summary(of: job.id).failuresByReason == ["UNDELIV": 1, "EXPIRED": 3])
        await harness.close()
    }

    /// Part 2 of a long message arrives with no `extend`, before anything names its number; part
    /// 1 then confirms the number through `extend` and `to`, and part 2 is applied with it.
    @Test(arguments: StoreBackend.allCases)
    func aHeldReportIsAppliedWhenALaterReportGivesItsNumberTheMessageID(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let runner = StoreContractFixture.runner("a")
        let job = try await harness.store.createJob(StoreContractFixture.draft(2), runner: runner)
        let chunk = try #require(try await harness.claim(job.id, runner: runner))
        try await harness.unconfirm(chunk.id, runner: runner, reason: "connection reset")
        let part2 = StatusReport(smsMsgId: "long-1", status: "DELIVRD", total: 2, sequence: 2)
        #expect(try await harness.receive([part2]).unknown == 1)
        let part1 = StatusReport(smsMsgId: "long-1", status: "DELIVRD", total: 2, sequence: 1, extend: chunk.extendTag,
                                 to: chunk.numbers[0])
        let summary = try await harness.receive([part1])
        #expect(summary.confirmed == 1 && summary.applied == 1 && summary.heldApplied == 1 && summary.delivered == 1)
        let record = try await harness.number(chunk.numbers[0], of: job.id)
        #expect(record.state == .delivered && record.smsMsgId == "long-1")
        #expect(try await harness.store.statusReportIntakeCounts().held == 0)
        #expect(try await harness.reportsApplied(forMessage: "long-1") == [true, true])
        await harness.close()
    }

    /// Within one request: part 2 is held, then part 1 of the same request confirms the number.
    @Test(arguments: StoreBackend.allCases)
    func aReportHeldEarlierInTheSameRequestCountsAsApplied(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let runner = StoreContractFixture.runner("a")
        let job = try await harness.store.createJob(StoreContractFixture.draft(1), runner: runner)
        let chunk = try #require(try await harness.claim(job.id, runner: runner))
        try await harness.unconfirm(chunk.id, runner: runner, reason: "connection reset")
        let summary = try await harness.receive([
            StatusReport(smsMsgId: "long-2", status: "DELIVRD", total: 2, sequence: 2),
            StatusReport(smsMsgId: "long-2", status: "DELIVRD", total: 2, sequence: 1, extend: chunk.extendTag,
                         to: chunk.numbers[0]),
        ])
        #expect(summary.applied == 2 && summary.unknown == 0 && summary.heldApplied == 0 && summary.delivered == 1)
        #expect(try await harness.store.statusReportIntakeCounts().unknownReceived == 0)
        #expect(try await harness.number(chunk.numbers[0], of: job.id).state == .delivered)
        await harness.close()
    }
}
