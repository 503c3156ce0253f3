import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport
import Synchronization
import Testing

/// Send windows through the runner and the daemon, against the simulator over loopback, on a
/// manual clock (SPEC §8): postponed numbers wait, the rest go on, and the wait ends on time.
@Suite("Send windows: runner and daemon")
struct SendWindowRunnerTests {
    static func instant(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text), "unreadable test instant \(text)")
    }

    /// `count` distinct UK mobile numbers (valid for libphonenumber: 074 00...).
    static func britishNumbers(_ count: Int) -> [String] {
        (0..<count).map { "+4474001" + String(format: "%05d", $0) }
    }

    /// Each number's request start, from the store's send history.
    static func sendTimes(_ store: JobStore, _ numbers: [String]) async throws -> [String: [Date]] {
        try await store.sendHistory(for: numbers, since: .distantPast).mapValues { $0.map(\.sentAt).sorted() }
    }

    @Test("a job that spans two days: the daemon sends until 22:00 Beijing time and again from 08:00, within 1 s")
    func daemonSpansTwoDays() async throws {
        let clock = ManualWallClock(start: try Self.instant("2026-12-01T21:59:50+08:00"))
        try await RunnerHarness.with(clock: clock) { h in
            let numbers = StoreFixtures.numbers(20)
            var draft = StoreFixtures.draft(numbers, scheduledAt: clock.now(), sendWindow: .regionDefaults)
            draft.rate = 1
            let job = try await h.store.createJob(draft).id
            let stop = RunnerStopSignal()
            let client = h.client
            // A long tick: the daemon's own sleep must not count as idle time while its runner
            // works (the clock would run ahead of it); the runner's naps are what is tested.
            let daemon = JobDaemon(store: h.store, clock: clock, pacer: h.pacer, lease: StoreFixtures.remoteLease("daemon"),
                                   jobsFolder: nil, defaultEndpoint: h.simulator.endpoint, runnerOptions: JobRunnerOptions(),
                                   stopSignal: stop, tick: 30, makeClient: { _ in client })
            let store = h.store
            let opening = try Self.instant("2026-12-02T08:00:00+08:00")
            try await drivingClock(clock) {
                async let ran: Void = daemon.run()
                try await eventually("numbers went until 22:00 and the rest is postponed") {
                    let summary = try await store.summary(of: job)
                    let postponed = summary.deferredByReason["SEND_WINDOW"] ?? 0
                    return postponed > 0 && summary.count(.accepted) + postponed == 20
                }
                // The night passes while the daemon's runner naps (at most 1 s at a time).
                clock.set(opening.addingTimeInterval(-1.5))
                try await eventually("the postponed numbers went in the morning") {
                    try await store.job(job).state == .finished
                }
                stop.raise()
                clock.advance(by: 30)  // the daemon's tick: it sees the stop
                try await ran
            }
            let times = try await Self.sendTimes(h.store, numbers).values.flatMap { $0 }.sorted()
            let closing = try Self.instant("2026-12-01T22:00:00+08:00")
            let evening = times.filter { $0 < closing }, morning = times.filter { $0 >= opening }
            #expect(times.count == 20 && evening.count == 10 && morning.count == 10,
                    "sends at one a second from 21:59:50 to 22:00, then from 08:00: \(times)")
            let wake = try #require(morning.first).timeIntervalSince(opening)
            #expect(wake >= 0 && wake <= 1, "the first morning send came \(wake) s after the window opened")
            let accepted = await h.acceptedNumbers()
            #expect(Set(accepted) == Set(numbers) && accepted.count == 20)
        }
    }

    @Test("--send-by: numbers still waiting at the deadline fail as retryable SEND_WINDOW and the job finishes")
    func deadlineExpiry() async throws {
        let clock = ManualWallClock(start: try Self.instant("2026-12-01T23:29:50+08:00"))
        try await RunnerHarness.with(clock: clock) { h in
            let lease = StoreFixtures.remoteLease()
            var draft = StoreFixtures.draft(StoreFixtures.numbers(5) + Self.britishNumbers(3), sendWindow: .regionDefaults)
            draft.sendBy = try Self.instant("2026-12-01T23:30:00+08:00")
            let job = try await h.store.createJob(draft, runner: lease).id
            let runner = h.runner(job, lease: lease)
            #expect(try await drivingClock(clock) { try await runner.run() } == .finished)
            let summary = try await h.store.summary(of: job)
            #expect(summary.count(.accepted) == 3 && summary.failuresByReason == ["SEND_WINDOW": 5])
            #expect(summary.failuresByClass == [.retryable: 5] && summary.deferredByReason.isEmpty)
            #expect(clock.now() >= draft.sendBy!, "the job waited for its deadline")
        }
    }

    @Test("a window open for UK and closed for Chinese mainland numbers: UK sent, mainland postponed, none dropped")
    func openForUKClosedForTheMainland() async throws {
        // 12:00 UTC: noon in London, 20:00 in Beijing; the window is 09:00-17:00 local time.
        let clock = ManualWallClock(start: try Self.instant("2026-12-01T12:00:00Z"))
        try await RunnerHarness.with(clock: clock) { h in
            let mainland = StoreFixtures.numbers(50), uk = Self.britishNumbers(50)
            let numbers = zip(mainland, uk).flatMap { [$0, $1] }
            let lease = StoreFixtures.remoteLease()
            let office = SendWindowSetting.everyNumber(try SendWindow(parsing: "09:00-17:00"))
            let job = try await h.store.createJob(StoreFixtures.draft(numbers, sendWindow: office), runner: lease).id
            let stop = RunnerStopSignal()
            let seen = Mutex<[JobProgress]>([])
            let runner = JobRunner(jobID: job, store: h.store, client: h.client, pacer: h.pacer, slots: h.slots,
                                   clock: clock, lease: lease, stopSignal: stop,
                                   onProgress: { progress in seen.withLock { $0.append(progress) } })
            let store = h.store
            let outcome = try await drivingClock(clock) {
                async let run = runner.run()
                try await eventually("UK numbers are accepted and mainland ones postponed") {
                    let summary = try await store.summary(of: job)
                    return summary.count(.accepted) == 50 && summary.deferredByReason["SEND_WINDOW"] == 50
                }
                stop.raise()
                return try await run
            }
            #expect(outcome == .stopped)
            let opening = try Self.instant("2026-12-02T09:00:00+08:00")
            let paused = try await h.store.summary(of: job)
            #expect(paused.job.state == .paused && paused.total == 100 && paused.count(.deferred) == 50)
            #expect(paused.nextDeferredByReason["SEND_WINDOW"] == opening)
            #expect(await h.acceptedNumbers().sorted() == uk.sorted(), "only the UK numbers reached the platform")
            let last = try #require(seen.withLock { $0.last })
            #expect(last.postponed == 50 && last.nextDue == opening)

            // The next morning in Beijing the job is resumed and the mainland numbers go.
            clock.set(opening.addingTimeInterval(-1))
            let next = StoreFixtures.remoteLease("morning")
            _ = try await h.store.resumeJob(job, runner: next)
            let morning = h.runner(job, lease: next)
            #expect(try await drivingClock(clock) { try await morning.run() } == .finished)
            let accepted = await h.acceptedNumbers()
            #expect(accepted.count == 100 && Set(accepted) == Set(numbers), "every number once, none dropped")
            let mainlandTimes = try await Self.sendTimes(h.store, mainland).values.flatMap { $0 }
            #expect(mainlandTimes.allSatisfy { $0 >= opening })
        }
    }
}
