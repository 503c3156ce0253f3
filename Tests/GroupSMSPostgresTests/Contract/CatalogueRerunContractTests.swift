import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Reruns of a job's retryable numbers, the same on both stores.
@Suite("Store contract: reruns")
struct CatalogueRerunContractTests {
    @Test(arguments: StoreBackend.allCases)
    func aRerunHoldsTheRetryableNumbersWithTheSameSettings(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let mixed = try await CatalogueMixedJob.make(store, clock: fixture.clock)
        let seen = SeenDrafts(), start = fixture.clock.now().addingTimeInterval(3600)
        let result = try await store.rerunJob(mixed.job.id, includeUnconfirmed: false, name: nil, scheduledAt: start,
                                              sendBy: nil, runner: nil, prepare: seen.recorder)
        #expect(result.retryable == 2 && result.unconfirmed == 0 && result.suppressed.isEmpty)
        let rerun = result.job, original = mixed.job
        #expect(rerun.rerunOf == original.id && rerun.state == .scheduled && rerun.scheduledAt == start)
        #expect(rerun.name == "mixed rerun" && rerun.runner == nil)
        #expect(rerun.templateID == original.templateID && rerun.params == ["1234"] && rerun.params == original.params)
        #expect(rerun.signature == original.signature && rerun.from == original.from && rerun.rate == original.rate)
        #expect(rerun.contentKey == original.contentKey && rerun.sourceFiles == original.sourceFiles)
        #expect(rerun.endpoint == original.endpoint && rerun.maxDefer == original.maxDefer)
        // E200041 and not sent; not accepted, opted-out, unconfirmed, invalid at submit or at import.
        let draft = try #require(seen.last)
        #expect(draft.numbers == [NumberDraft(e164: mixed.numbers[1], fileIndex: 0, cell: "A3"),
                                  NumberDraft(e164: mixed.numbers[3], fileIndex: 0, cell: "A5")], "numbers keep their cells")
        let shown = try await store.summary(of: rerun.id)
        #expect(shown.total == 2 && shown.count(.pending) == 2 && shown.reruns.isEmpty)
        #expect(try await store.summary(of: original.id).reruns == [rerun.id])
        try await Self.expectLastEvent(of: original.id, in: store, "rerun as \(rerun.id) with 2 retryable numbers")
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func unconfirmedNumbersAreIncludedOnlyWhenAsked(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let mixed = try await CatalogueMixedJob.make(store, clock: fixture.clock)
        let seen = SeenDrafts()
        let result = try await store.rerunJob(mixed.job.id, includeUnconfirmed: true, name: "again", scheduledAt: nil,
                                              sendBy: nil, runner: nil, prepare: seen.recorder)
        #expect(result.retryable == 2 && result.unconfirmed == 1 && result.job.name == "again")
        #expect(seen.last?.numbers.map(\.e164) == [mixed.numbers[1], mixed.numbers[3], mixed.numbers[4]])
        #expect(try await store.summary(of: result.job.id).count(.pending) == 3)
        try await Self.expectLastEvent(of: mixed.job.id, in: store,
                                       "rerun as \(result.job.id) with 2 retryable and 1 unconfirmed numbers")
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func suppressedNumbersAreSkippedAndReported(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let mixed = try await CatalogueMixedJob.make(store, clock: fixture.clock)
        _ = try await store.suppress([mixed.numbers[3]], code: "MANUAL", reason: "asked to stop", sourceJob: nil)
        let result = try await store.rerunJob(mixed.job.id, includeUnconfirmed: false, name: nil, scheduledAt: nil,
                                              sendBy: nil, runner: nil, prepare: { $0 })
        #expect(result.suppressed == [mixed.numbers[3]] && result.retryable == 2)
        let summary = try await store.summary(of: result.job.id)
        #expect(summary.count(.pending) == 1 && summary.failuresByReason == ["SUPPRESSED": 1])
        try await Self.expectLastEvent(of: mixed.job.id, in: store, "rerun as \(result.job.id) with 2 retryable numbers; "
                                       + "1 of them are on the suppression list (skipped)")
        await fixture.close(store)
    }

    /// Numbers accepted 72 h ago without a final report expire (EXPIRED, retryable) before the
    /// rerun reads the job, so they are in it; a moment earlier they are not.
    @Test(arguments: StoreBackend.allCases)
    func overdueReportsExpireBeforeTheRerun(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let mixed = try await CatalogueMixedJob.make(store, clock: fixture.clock)
        fixture.clock.advance(by: JobStore.statusReportWindow - 1)
        let early = try await store.rerunJob(mixed.job.id, includeUnconfirmed: false, name: nil, scheduledAt: nil,
                                             sendBy: nil, runner: nil, prepare: { $0 })
        #expect(early.retryable == 2)
        #expect(try await store.summary(of: mixed.job.id).count(.accepted) == 1, "not yet overdue")
        fixture.clock.advance(by: 1)
        let seen = SeenDrafts()
        let late = try await store.rerunJob(mixed.job.id, includeUnconfirmed: false, name: nil, scheduledAt: nil,
                                            sendBy: nil, runner: nil, prepare: seen.recorder)
        #expect(late.retryable == 3)
        #expect(seen.last?.numbers.map(\.e164) == [mixed.numbers[0], mixed.numbers[1], mixed.numbers[3]])
        let summary = try await store.summary(of: mixed.job.id)
        #expect(summary.count(.accepted) == 0 && summary.failuresByReason["EXPIRED"] == 1)
        #expect(summary.reruns == [early.job.id, late.job.id])
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aScheduledOrRunningJobOrOneWithNothingRetryableIsRefused(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let scheduled = try await store.createJob(StoreContractFixture.draft(2))
        await #expect(throws: StoreError.transitionRefused(job: scheduled.id.description, state: .scheduled, action: "rerun",
                                                           reason: "it has not run yet; reschedule or cancel it instead")) {
            try await Self.rerun(scheduled.id, in: store)
        }
        let runner = StoreContractFixture.runner("r")
        let running = try await store.createJob(StoreContractFixture.draft(2), runner: runner)
        await #expect(throws: StoreError.transitionRefused(
            job: running.id.description, state: .running, action: "rerun",
            reason: "it is still sending; wait for it to finish or pause it first")) { try await Self.rerun(running.id, in: store) }
        await #expect(throws: StoreError.jobNotFound(JobID(99).description)) { try await Self.rerun(JobID(99), in: store) }
        let accepted = try await Self.finished(running.id, in: store, runner: runner, clock: fixture.clock,
                                               outcome: { .accepted(smsMsgId: "ok-\($0)") })
        await #expect(throws: StoreError.invalidInput("\(accepted) has no retryable numbers to rerun")) {
            try await Self.rerun(accepted, in: store)
        }
        let other = try await store.createJob(StoreContractFixture.draft(3, name: "timed out"), runner: runner)
        let unconfirmed = try await Self.finished(other.id, in: store, runner: runner, clock: fixture.clock,
                                                  outcome: { _ in .unconfirmed(description: "timed out") })
        await #expect(throws: StoreError.invalidInput("\(unconfirmed) has no retryable numbers to rerun; its 3 "
                                                      + "unconfirmed numbers can be sent again with --include-unconfirmed")) {
            try await Self.rerun(unconfirmed, in: store)
        }
        let rerun = try await store.rerunJob(unconfirmed, includeUnconfirmed: true, name: nil, scheduledAt: nil,
                                             sendBy: nil, runner: nil, prepare: { $0 })
        #expect(rerun.unconfirmed == 3 && rerun.retryable == 0)
        await fixture.close(store)
    }

    /// A rerun keeps the original's send window and each number's own values (each distinct
    /// tuple once), but not its deadline: a deadline is the rerun's own.
    @Test(arguments: StoreBackend.allCases)
    func aRerunKeepsTheWindowAndEachNumbersValuesButNotTheDeadline(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        var draft = StoreContractFixture.draft(3, name: "personal")
        var sets = TemplateValueSets(arity: 1)
        let indices = [["Ann"], ["Bob"], ["Ann"]].map { sets.intern($0) }
        draft.values = RecipientValues(header: ["name"], valueSets: sets, valueSetIndices: indices)
        draft.sendBy = fixture.clock.now().addingTimeInterval(7200)
        let runner = StoreContractFixture.runner("r")
        let original = try await store.createJob(draft, runner: runner)
        _ = try await Self.finished(original.id, in: store, runner: runner, clock: fixture.clock,
                                    outcome: { _ in .notSent(code: "STOPPED", description: "the job stopped") })
        let seen = SeenDrafts()
        let plain = try await store.rerunJob(original.id, includeUnconfirmed: false, name: nil, scheduledAt: nil,
                                             sendBy: nil, runner: nil, prepare: seen.recorder)
        let values = seen.last?.values
        let deadline = fixture.clock.now().addingTimeInterval(3600)
        let dated = try await store.rerunJob(original.id, includeUnconfirmed: false, name: nil, scheduledAt: nil,
                                             sendBy: deadline, runner: nil, prepare: { $0 })
        #expect(original.sendWindow == .any && original.sendBy == draft.sendBy)
        #expect(plain.job.sendWindow == .any && plain.job.sendBy == nil, "the window, not the deadline")
        #expect(dated.job.sendWindow == .any && dated.job.sendBy == deadline)
        #expect(values?.header == ["name"] && values?.valueSets.count == 2, "each tuple once")
        #expect((0..<3).map { values?.values(ofNumberAt: $0) } == [["Ann"], ["Bob"], ["Ann"]])
        await fixture.close(store)
    }

    /// `prepare` sees the draft before anything is stored: what it returns is the job, and its
    /// error leaves the store as it was and reaches the caller as it was thrown.
    @Test(arguments: StoreBackend.allCases)
    func prepareShapesTheDraftAndItsErrorStoresNothing(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let mixed = try await CatalogueMixedJob.make(store, clock: fixture.clock)
        await #expect(throws: CatalogueInjectedFault()) {
            try await store.rerunJob(mixed.job.id, includeUnconfirmed: false, name: nil, scheduledAt: nil, sendBy: nil,
                                     runner: nil, prepare: { _ in throw CatalogueInjectedFault() })
        }
        #expect(try await store.summary(of: mixed.job.id).reruns.isEmpty)
        try await CatalogueFolderContractTests.expectOnlyJobs([mixed.job.id], in: store)
        let renamed = try await store.rerunJob(mixed.job.id, includeUnconfirmed: false, name: nil, scheduledAt: nil,
                                               sendBy: nil, runner: nil, prepare: { draft in
            var checked = draft
            checked.name = "checked"
            checked.numbers.removeLast()
            return checked
        })
        #expect(renamed.job.name == "checked")
        #expect(try await store.summary(of: renamed.job.id).total == 1)
        await fixture.close(store)
    }

    /// With a runner the rerun is created running under that runner's lease (foreground `send`).
    @Test(arguments: StoreBackend.allCases)
    func aRerunWithARunnerIsCreatedRunningUnderItsLease(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let mixed = try await CatalogueMixedJob.make(store, clock: fixture.clock)
        let runner = StoreContractFixture.runner("foreground")
        let result = try await store.rerunJob(mixed.job.id, includeUnconfirmed: false, name: nil, scheduledAt: nil,
                                              sendBy: nil, runner: runner, prepare: { $0 })
        #expect(result.job.state == .running && result.job.runner?.token == runner.token)
        #expect(try await store.heartbeat(result.job.id, runner: runner) == .running)
        let chunk = try await CatalogueContractRunner.claim(store, job: result.job.id, runner: runner, maxNumbers: 10)
        #expect(chunk.numbers == [mixed.numbers[1], mixed.numbers[3]])
        await fixture.close(store)
    }

    static func rerun(_ id: JobID, in store: CatalogueContractStore) async throws {
        _ = try await store.rerunJob(id, includeUnconfirmed: false, name: nil, scheduledAt: nil, sendBy: nil, runner: nil,
                                     prepare: { $0 })
    }

    /// Sends every number of running job `id` once with `outcome` and finishes it.
    static func finished(_ id: JobID, in store: CatalogueContractStore, runner: RunnerLease, clock: ManualWallClock,
                         outcome: (String) -> NumberOutcome) async throws -> JobID {
        let chunk = try await CatalogueContractRunner.claim(store, job: id, runner: runner, maxNumbers: 10)
        var outcomes: [String: NumberOutcome] = [:]
        for number in chunk.numbers { outcomes[number] = outcome(number) }
        try await CatalogueContractRunner.answer(store, chunk: chunk.id, runner: runner, answer: ChunkAnswer(
            requestStartedAt: clock.now(), code: "0", description: "done",
            outcomes: outcomes, unlisted: .unconfirmed(description: "missing")))
        _ = try await store.finishJob(id, runner: runner)
        return id
    }

    /// The job's newest event says `message`, where the store answers the event log
    /// (`JobLifecycleStoring`).
    static func expectLastEvent(of id: JobID, in store: CatalogueContractStore, _ message: String,
                                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        guard let lifecycle = store as? any JobLifecycleStoring else { return }
        let events = try await lifecycle.events(of: id, afterID: 0, limit: 1000)
        #expect(events.last?.kind == .rerun && events.last?.message == message, sourceLocation: sourceLocation)
    }
}
