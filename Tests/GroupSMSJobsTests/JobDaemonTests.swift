import Foundation
import GroupSMSXLSX
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport
import Testing

@Suite("Job daemon")
struct JobDaemonTests {
    /// A daemon on `h`'s store and clock, logging nowhere.
    static func daemon(_ h: RunnerHarness, clock: ManualWallClock, folder: JobFolderWatcher? = nil,
                       stop: RunnerStopSignal) -> JobDaemon {
        let client = h.client
        return JobDaemon(store: h.store, clock: clock, pacer: h.pacer, lease: StoreFixtures.remoteLease("daemon"),
                         jobsFolder: folder, defaultEndpoint: h.simulator.endpoint, runnerOptions: JobRunnerOptions(),
                         stopSignal: stop, makeClient: { _ in client })
    }

    @Test("starts a scheduled job within 1 s of its time, and a job file; a changed file replaces its job")
    func scheduledAndFolderJobs() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock) { h in
            let start = clock.now().addingTimeInterval(30)
            let timed = try await h.store.createJob(StoreFixtures.draft(StoreFixtures.numbers(40), scheduledAt: start))
            let folder = h.directory.file("Jobs")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try XLSXWriter(sheets: [XLSXSheet.textColumn(name: "Sheet1", header: "Phone",
                                                         StoreFixtures.numbers(12, block: 3))])
                .write(to: folder + "/people.xlsx")
            let jobFile = folder + "/notice.yaml"
            @Sendable func write(at: String) throws {
                try "name: Notice\nrecipients: people.xlsx\ntemplate: t9\nparams: [\"p\"]\nfrom: \"8824110605\"\nsend_window: any\nat: \"\(at)\"\n"
                    .write(toFile: jobFile, atomically: true, encoding: .utf8)
            }
            try write(at: "+2h")
            let stop = RunnerStopSignal()
            let watcher = JobFolderWatcher(folder: folder, dataDirectory: DataDirectory(path: h.directory.path))
            let daemon = Self.daemon(h, clock: clock, folder: watcher, stop: stop)
            let store = h.store
            try await drivingClock(clock, step: 0.25) {
                async let ran: Void = daemon.run()
                try await eventually("the scheduled job is finished") { try await store.job(timed.id).state == .finished }
                try await eventually("the job file became a job") { try await store.summaries().count == 2 }
                try write(at: "+3h")
                try await eventually("the changed job file became a new job") { try await store.summaries().count == 3 }
                stop.raise()
                try await ran
            }
            let started = try #require(try await store.job(timed.id).startedAt)
            #expect(abs(started.timeIntervalSince(start)) <= 1, "started \(started.timeIntervalSince(start)) s from its time")
            let states = try await store.summaries().sorted { $0.job.id < $1.job.id }.map(\.job.state)
            #expect(states == [.finished, .cancelled, .scheduled])
            #expect(try await store.summaries().max { $0.job.id < $1.job.id }?.total == 12)
        }
    }

    @Test("at start-up it resumes a job whose runner died; the dead runner's chunk becomes unconfirmed")
    func resumesAbandonedJob() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock) { h in
            let numbers = StoreFixtures.numbers(50)
            let (job, deadLease) = try await h.runningJob(numbers)
            let claim = try await h.store.claimChunk(for: job, runner: deadLease, maxNumbers: 20)
            #expect(claim.chunk?.numbers.count == 20)
            clock.advance(by: 300)  // no heartbeat for 5 minutes: the runner is gone
            let stop = RunnerStopSignal()
            let daemon = Self.daemon(h, clock: clock, stop: stop)
            let store = h.store
            try await drivingClock(clock) {
                async let ran: Void = daemon.run()
                try await eventually("the resumed job is finished") { try await store.job(job).state == .finished }
                stop.raise()
                try await ran
            }
            let summary = try await h.store.summary(of: job)
            #expect(summary.count(.unconfirmed) == 20 && summary.count(.accepted) == 30)
            let accepted = await h.acceptedNumbers()
            #expect(Set(accepted) == Set(numbers.dropFirst(20)) && accepted.count == 30)
        }
    }
}
