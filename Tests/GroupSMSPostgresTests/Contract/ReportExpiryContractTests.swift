import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The 72-hour report window, the same on both stores (SPEC §4): accepted numbers without a
/// final report become failed EXPIRED (retryable, stage delivery), and a late report still counts.
@Suite("Store contract: report expiry")
struct ReportExpiryContractTests {
    @Test(arguments: StoreBackend.allCases)
    func numbersWithoutAReportExpireAtExactly72Hours(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let acceptedAt = fixture.clock.now()
        let (job, numbers, ids) = try await harness.acceptedJob(4, runner: StoreContractFixture.runner("a"))
        _ = try await harness.receive([
            StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD"),
            StatusReport(smsMsgId: ids[numbers[1]]!, status: "ACCEPTD"),
            StatusReport(smsMsgId: ids[numbers[2]]!, status: "DELIVRD", total: 2, sequence: 1),
        ])
        fixture.clock.set(acceptedAt.addingTimeInterval(71 * 3600 + 59 * 60 + 59))
        #expect(try await harness.store.expireOverdueReports(now: nil) == 0)
        #expect(try await harness.store.summary(of: job.id).awaitingReport == 3)
        fixture.clock.advance(by: 1)
        #expect(try await harness.store.expireOverdueReports(now: nil) == 3)
        #expect(try await harness.store.expireOverdueReports(now: nil) == 0, "nothing left to expire")
        let records = try await harness.numbers(of: job.id)
        #expect(records.map(\.state) == [.delivered, .failed, .failed, .failed])
        #expect(records.dropFirst().allSatisfy {
            $0.code == "EXPIRED" && $0.failureClass == .retryable && $0.stage == .delivery
        })
        let summary = try await harness.store.summary(of: job.id)
        #expect(summary.awaitingReport == 0)
        #expect(summary.failuresByClass == [.retryable: 3] && summary.failuresByReason == ["EXPIRED": 3])
        #expect(try await harness.events(of: job.id).contains { $0.kind == .expired && $0.message.hasPrefix("3 numbers") })
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func anExplicitNowIsUsedInsteadOfTheClock(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let acceptedAt = fixture.clock.now()
        let (job, _, _) = try await harness.acceptedJob(1, runner: StoreContractFixture.runner("a"))
        #expect(try await harness.store.expireOverdueReports(now: acceptedAt.addingTimeInterval(72 * 3600 - 0.001)) == 0)
        #expect(try await harness.store.expireOverdueReports(now: acceptedAt.addingTimeInterval(72 * 3600)) == 1)
        #expect(try await harness.numbers(of: job.id).first?.state == .failed)
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func aLateReportStillMovesAnExpiredNumberOn(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let (job, numbers, ids) = try await harness.acceptedJob(3, runner: StoreContractFixture.runner("a"))
        fixture.clock.advance(by: 72 * 3600)
        #expect(try await harness.store.expireOverdueReports(now: nil) == 3)
        let summary = try await harness.receive([
            StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD"),
            StatusReport(smsMsgId: ids[numbers[1]]!, status: "BLACK"),
            StatusReport(smsMsgId: ids[numbers[2]]!, status: "ACCEPTD"),
        ])
        #expect(summary.delivered == 1 && summary.failed == 1 && summary.applied == 3)
        let records = try await harness.numbers(of: job.id)
        #expect(records.map(\.state) == [.delivered, .failed, .failed])
        #expect(records[1].code == "BLACK" && records[1].failureClass == .optedOut)
        #expect(records[2].code == "EXPIRED", "an interim status does not undo the expiry")
        await harness.close()
    }
}

/// The failed-number export, the same on both stores (SPEC §5): every number that did not get
/// through, in position order, with its class, stage, code, time and source cell.
@Suite("Store contract: failed-number export")
struct ReportExportContractTests {
    /// Position: 0 delivered, 1 UNDELIV, 2 BLACK, 3 no report for 72 h (EXPIRED), 4 E200041 at
    /// submit, 5 not sent (STOPPED), 6 unconfirmed, 7 an invalid entry.
    @Test(arguments: StoreBackend.allCases)
    func theExportListsEveryNumberThatDidNotGetThroughInPositionOrder(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let runner = StoreContractFixture.runner("a")
        let invalid = RejectedEntryDraft(fileIndex: 0, cell: "A10", original: "12ab, \"x\"", description: "letters in the number")
        let job = try await harness.store.createJob(StoreContractFixture.draft(7, name: "mixed", rejected: [invalid]),
                                                    runner: runner)
        let chunk = try #require(try await harness.claim(job.id, runner: runner))
        let n = chunk.numbers
        let answer = ChunkAnswer(requestStartedAt: fixture.clock.now(), code: "E000510", description: "partly failed", outcomes: [
            n[0]: .accepted(smsMsgId: "mix-0"), n[1]: .accepted(smsMsgId: "mix-1"), n[2]: .accepted(smsMsgId: "mix-2"),
            n[3]: .accepted(smsMsgId: "mix-3"),
            n[4]: .failed(code: "E200041", description: "repeated number", failureClass: .retryable),
            n[5]: .notSent(code: "STOPPED", description: "the job stopped"),
            n[6]: .unconfirmed(description: "missing from the answer"),
        ], unlisted: .unconfirmed(description: "missing from the answer"))
        _ = try await harness.answer(chunk.id, runner: runner, answer)
        _ = try await harness.receive([StatusReport(smsMsgId: "mix-0", status: "DELIVRD"),
                                       StatusReport(smsMsgId: "mix-1", status: "UNDELIV"),
                                       StatusReport(smsMsgId: "mix-2", status: "BLACK")])
        fixture.clock.advance(by: 72 * 3600)
        #expect(try await harness.store.expireOverdueReports(now: nil) == 1)

        let export = try await harness.store.failedNumbers(of: job.id)
        #expect(export.job.id == job.id && export.variablesHeader == nil)
        #expect(export.rows.map(\.number) == [n[1], n[2], n[3], n[4], n[5], n[6], invalid.original])
        #expect(export.rows.map(\.position) == [1, 2, 3, 4, 5, 6, 7])
        #expect(export.rows.map(\.failureClass) == [.retryable, .optedOut, .retryable, .retryable, .retryable,
                                                    .unconfirmed, .invalid])
        #expect(export.rows.map(\.code) == ["UNDELIV", "BLACK", "EXPIRED", "E200041", "STOPPED", "UNCONFIRMED",
                                            "INVALID_NUMBER"])
        #expect(export.rows.map(\.stage) == [.delivery, .delivery, .delivery, .submit, .submit, .submit, .import])
        #expect(export.retryableNumbers == [n[1], n[3], n[4], n[5]])
        #expect(export.rows[2].time == fixture.clock.now(), "expired now")
        #expect(export.rows[6].cell == "A10" && export.rows[6].sourceFile == "list.xlsx")
        #expect(export.rows[0].cell == "A3" && export.rows[0].sourceFile == "list.xlsx")
        #expect(export.rows.allSatisfy { $0.values == nil })
        await harness.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func aPersonalisedJobsExportCarriesItsHeaderAndEachNumbersValues(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let runner = StoreContractFixture.runner("a")
        var draft = StoreContractFixture.draft(3, name: "personal")
        var sets = TemplateValueSets(arity: 2)
        let indices = [["Li", "A1"], ["Wang", "B2"], ["Li", "A1"]].map { sets.intern($0) }
        draft.values = RecipientValues(header: ["Name", "Code"], valueSets: sets, valueSetIndices: indices)
        let job = try await harness.store.createJob(draft, runner: runner)
        let chunk = try #require(try await harness.claim(job.id, runner: runner))
        _ = try await harness.answer(chunk.id, runner: runner, StoreFixtures.acceptAll(chunk, at: fixture.clock.now()))
        _ = try await harness.receive(chunk.numbers.indices.map {
            StatusReport(smsMsgId: "\(chunk.extendTag)-\($0)", status: $0 == 1 ? "DELIVRD" : "UNDELIV")
        })
        let export = try await harness.store.failedNumbers(of: job.id)
        #expect(export.variablesHeader == ["Name", "Code"])
        #expect(export.rows.map(\.position) == [0, 2])
        #expect(export.rows.map(\.values) == [["Li", "A1"], ["Li", "A1"]])
        await harness.close()
    }
}
