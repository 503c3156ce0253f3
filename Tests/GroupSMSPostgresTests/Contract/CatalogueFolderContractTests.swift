import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The jobs-folder index: each content of a job file makes its job once, in one transaction with
/// its index entry, the same on both stores.
@Suite("Store contract: jobs-folder index")
struct CatalogueFolderContractTests {
    static let path = "/srv/jobs/notice.job"

    static func digest(_ version: Int) -> String { String(repeating: String(version % 10), count: 64) }

    /// The job file's content `version`: three numbers starting in an hour (so it can be replaced).
    static func draft(_ version: Int, clock: ManualWallClock) -> JobDraft {
        var draft = StoreContractFixture.draft(3, name: "Notice \(version)")
        draft.scheduledAt = clock.now().addingTimeInterval(3600)
        return draft
    }

    @Test(arguments: StoreBackend.allCases)
    func aContentMakesOneJobAndANewContentReplacesIt(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let first = try Self.submitted(try await store.submitFolderJob(
            Self.draft(1, clock: fixture.clock), path: Self.path, digest: Self.digest(1), rules: ScheduleRules(),
            checkpoint: { _ in }))
        #expect(first.replaced == nil && first.job.name == "Notice 1" && first.job.state == .scheduled)
        let entry = FolderIndexEntry(path: Self.path, digest: Self.digest(1), job: first.job.id, outcome: .submitted)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(1)) == entry)
        #expect(try await store.folderIndexEntry(path: "/srv/jobs/other.job", digest: Self.digest(1)) == nil)
        // A restarted daemon reads the same content: nothing new.
        #expect(try Self.indexed(try await store.submitFolderJob(
            Self.draft(1, clock: fixture.clock), path: Self.path, digest: Self.digest(1), rules: ScheduleRules(),
            checkpoint: { _ in })) == entry)
        let second = try Self.submitted(try await store.submitFolderJob(
            Self.draft(2, clock: fixture.clock), path: Self.path, digest: Self.digest(2), rules: ScheduleRules(),
            checkpoint: { _ in }))
        #expect(second.replaced == first.job.id && second.job.name == "Notice 2")
        #expect(try await store.job(first.job.id).state == .cancelled)
        #expect(try await store.summary(of: first.job.id).count(.notSent) == 3)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(2))?.isLatest == true)
        // The file goes back to its first content: already handled, and no longer the latest.
        var earlier = entry
        earlier.isLatest = false
        #expect(try Self.indexed(try await store.submitFolderJob(
            Self.draft(1, clock: fixture.clock), path: Self.path, digest: Self.digest(1), rules: ScheduleRules(),
            checkpoint: { _ in })) == earlier)
        #expect(try await store.job(second.job.id).state == .scheduled)
        await fixture.close(store)
    }

    /// A job past its cancel window (starting within five minutes, or started) is kept, and the
    /// new content recorded as `kept`; nothing is created.
    @Test(arguments: StoreBackend.allCases)
    func aJobThatCanNoLongerBeCancelledIsKept(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        var soon = Self.draft(1, clock: fixture.clock)
        soon.scheduledAt = fixture.clock.now().addingTimeInterval(120)
        let first = try Self.submitted(try await store.submitFolderJob(
            soon, path: Self.path, digest: Self.digest(1), rules: ScheduleRules(), checkpoint: { _ in }))
        let kept = try await store.submitFolderJob(Self.draft(2, clock: fixture.clock), path: Self.path,
                                                   digest: Self.digest(2), rules: ScheduleRules(), checkpoint: { _ in })
        guard case .kept(let job, let reason) = kept else { throw StoreContractFailure("not kept: \(kept)") }
        let closes = try #require(soon.scheduledAt).addingTimeInterval(-300)
        #expect(job == first.job.id && reason == ScheduleError.windowClosed(
            action: "cancel", job: job.description, start: try #require(soon.scheduledAt), closedAt: closes).description)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(2))
                == FolderIndexEntry(path: Self.path, digest: Self.digest(2), job: job, outcome: .kept))
        fixture.clock.advance(by: 120)
        _ = try await store.startJob(job, runner: StoreContractFixture.runner("a"))
        let started = try await store.submitFolderJob(Self.draft(3, clock: fixture.clock), path: Self.path,
                                                      digest: Self.digest(3), rules: ScheduleRules(), checkpoint: { _ in })
        guard case .kept(job, let running) = started else { throw StoreContractFailure("not kept: \(started)") }
        #expect(running == ScheduleError.alreadyStarted(action: "cancel", job: job.description, state: .running).description)
        #expect(try await store.job(job).state == .running)
        let probe = try await store.createJob(StoreContractFixture.draft(1, name: "probe"))
        #expect(probe.id == JobID(job.rawValue + 1), "no job was created for the kept contents")
        await fixture.close(store)
    }

    /// A fault before the transaction or before its commit leaves the store as it was (the old
    /// job scheduled, no new job, no index entry) and reaches the caller as it was thrown.
    @Test(arguments: StoreBackend.allCases, [FolderPickupPoint.beforeTransaction, .beforeCommit])
    func aFaultAtAPickupPointLeavesNothingBehind(backend: StoreBackend, point: FolderPickupPoint) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let first = try Self.submitted(try await store.submitFolderJob(
            Self.draft(1, clock: fixture.clock), path: Self.path, digest: Self.digest(1), rules: ScheduleRules(),
            checkpoint: { _ in }))
        await #expect(throws: CatalogueInjectedFault()) {
            try await store.submitFolderJob(Self.draft(2, clock: fixture.clock), path: Self.path, digest: Self.digest(2),
                                            rules: ScheduleRules(), checkpoint: { if $0 == point { throw CatalogueInjectedFault() } })
        }
        #expect(try await store.job(first.job.id).state == .scheduled)
        #expect(try await store.summary(of: first.job.id).count(.pending) == 3)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(2)) == nil)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(1))?.isLatest == true)
        try await Self.expectOnlyJobs([first.job.id], in: store)
        let retried = try Self.submitted(try await store.submitFolderJob(
            Self.draft(2, clock: fixture.clock), path: Self.path, digest: Self.digest(2), rules: ScheduleRules(),
            checkpoint: { _ in }))
        #expect(retried.replaced == first.job.id)
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRefusedContentIsRecordedOnceAndTheCurrentJobStays(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        #expect(try await store.recordFolderRefusal(path: Self.path, digest: Self.digest(9)) == nil)
        #expect(try await store.recordFolderRefusal(path: Self.path, digest: Self.digest(9)) == nil, "recorded once")
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(9))
                == FolderIndexEntry(path: Self.path, digest: Self.digest(9), job: nil, outcome: .refused))
        let first = try Self.submitted(try await store.submitFolderJob(
            Self.draft(1, clock: fixture.clock), path: Self.path, digest: Self.digest(1), rules: ScheduleRules(),
            checkpoint: { _ in }))
        #expect(try await store.recordFolderRefusal(path: Self.path, digest: Self.digest(2)) == first.job.id)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(2))?.isLatest == true)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(1))?.isLatest == false)
        #expect(try await store.job(first.job.id).state == .scheduled, "a refused content replaces nothing")
        let again = try Self.indexed(try await store.submitFolderJob(
            Self.draft(2, clock: fixture.clock), path: Self.path, digest: Self.digest(2), rules: ScheduleRules(),
            checkpoint: { _ in }))
        #expect(again.outcome == .refused && again.job == nil)
        await fixture.close(store)
    }

    /// An older daemon's `jobs-folder.json` entries: the store's own entry wins, an unknown job
    /// id is dropped from its entry, and a second import adds nothing.
    @Test(arguments: StoreBackend.allCases)
    func anOlderIndexIsImportedOnceAndTheStoreWins(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        let first = try Self.submitted(try await store.submitFolderJob(
            Self.draft(1, clock: fixture.clock), path: Self.path, digest: Self.digest(1), rules: ScheduleRules(),
            checkpoint: { _ in }))
        let legacy = [
            FolderIndexEntry(path: Self.path, digest: Self.digest(1), job: JobID(99), outcome: .submitted),
            FolderIndexEntry(path: "/srv/jobs/b.job", digest: Self.digest(2), job: first.job.id, outcome: .submitted),
            FolderIndexEntry(path: "/srv/jobs/c.job", digest: Self.digest(3), job: JobID(999), outcome: .submitted),
            FolderIndexEntry(path: "/srv/jobs/d.job", digest: Self.digest(4), job: nil, outcome: .refused),
        ]
        #expect(try await store.importFolderIndex(legacy) == 3)
        #expect(try await store.folderIndexEntry(path: Self.path, digest: Self.digest(1))?.job == first.job.id)
        #expect(try await store.folderIndexEntry(path: "/srv/jobs/b.job", digest: Self.digest(2)) == legacy[1])
        var unknown = legacy[2]
        unknown.job = nil
        #expect(try await store.folderIndexEntry(path: "/srv/jobs/c.job", digest: Self.digest(3)) == unknown)
        #expect(try await store.folderIndexEntry(path: "/srv/jobs/d.job", digest: Self.digest(4)) == legacy[3])
        #expect(try await store.importFolderIndex(legacy) == 0)
        await fixture.close(store)
    }

    /// Two stores (two daemons watching one folder) pick the same new content up at once, twice
    /// each: exactly one job is created and replaces the file's job once; every other pick-up
    /// finds the content indexed, and none fails.
    @Test(arguments: StoreBackend.allCases)
    func twoStoresPickingUpTheSameContentAtOnceCreateOneJob(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let first = try await fixture.store(CatalogueContractStore.self)
        let second = try await fixture.store(CatalogueContractStore.self)
        let old = try Self.submitted(try await first.submitFolderJob(
            Self.draft(1, clock: fixture.clock), path: Self.path, digest: Self.digest(1), rules: ScheduleRules(),
            checkpoint: { _ in }))
        let draft = Self.draft(2, clock: fixture.clock)
        let outcomes = await withTaskGroup(of: Result<FolderSubmission, any Error>.self) { group in
            for store in [first, second, first, second] {
                group.addTask {
                    await Result(catching: { try await store.submitFolderJob(draft, path: Self.path, digest: Self.digest(2),
                                                                   rules: ScheduleRules(), checkpoint: { _ in }) })
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let submissions = try outcomes.map { try $0.get() }
        let created = submissions.compactMap { if case .submitted(let job, let replaced) = $0 { (job, replaced) } else { nil } }
        #expect(created.count == 1, "exactly one pick-up creates the job: \(submissions)")
        let winner = try #require(created.first)
        #expect(winner.1 == old.job.id)
        let indexed = submissions.compactMap { if case .alreadyIndexed(let entry) = $0 { entry } else { nil } }
        #expect(indexed.count == 3 && indexed.allSatisfy { $0.job == winner.0.id && $0.outcome == .submitted })
        #expect(try await second.job(old.job.id).state == .cancelled)
        #expect(try await second.summary(of: old.job.id).count(.notSent) == 3)
        try await Self.expectOnlyJobs([old.job.id, winner.0.id], in: second)
        await fixture.close(first)
        await fixture.close(second)
    }

    static func submitted(_ submission: FolderSubmission) throws -> (job: JobRecord, replaced: JobID?) {
        guard case .submitted(let job, let replaced) = submission else {
            throw StoreContractFailure("expected a submission, got \(submission)")
        }
        return (job, replaced)
    }

    static func indexed(_ submission: FolderSubmission) throws -> FolderIndexEntry {
        guard case .alreadyIndexed(let entry) = submission else {
            throw StoreContractFailure("expected an indexed content, got \(submission)")
        }
        return entry
    }

    /// The store holds exactly `jobs` up to a probe job created now (ids an aborted insert used
    /// are never reused, so every id in between must be unknown).
    static func expectOnlyJobs(_ jobs: [JobID], in store: CatalogueContractStore) async throws {
        let probe = try await store.createJob(StoreContractFixture.draft(1, name: "probe"))
        for raw in 1..<probe.id.rawValue where !jobs.contains(JobID(raw)) {
            await #expect(throws: StoreError.jobNotFound(JobID(raw).description)) { try await store.job(JobID(raw)) }
        }
        for job in jobs { _ = try await store.job(job) }
    }
}
