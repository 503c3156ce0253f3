import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport
import Testing

@Suite("Job runner: frequency limits, pace, retries and stopping")
struct JobRunnerLimitsTests {
    @Test("jobs running at once to the same numbers: the third send waits for the 59 s same-content limit")
    func deferralAcrossJobs() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock) { h in
            let numbers = StoreFixtures.numbers(5)
            var runners: [JobRunner] = []
            var jobs: [JobID] = []
            for _ in 0..<3 {
                let (job, lease) = try await h.runningJob(numbers)
                jobs.append(job)
                runners.append(h.runner(job, lease: lease))
            }
            let outcomes = try await drivingClock(clock, step: 0.5) { [runners] in
                try await withThrowingTaskGroup(of: JobRunOutcome.self) { group in
                    for runner in runners { group.addTask { try await runner.run() } }
                    return try await group.reduce(into: [JobRunOutcome]()) { $0.append($1) }
                }
            }
            #expect(outcomes == [.finished, .finished, .finished])
            var deferredEvents = 0
            for job in jobs {
                #expect(try await h.store.summary(of: job).count(.accepted) == 5)
                deferredEvents += try await h.store.events(of: job).count { $0.message.contains("deferred") }
            }
            // The limits hold on request start times (the send history every job shares); the
            // simulator's receive times would also count how far the driven clock ran while a
            // request travelled, which depends on the machine's load.
            let records = await h.simulator.records()
            let history = try await h.store.sendHistory(for: numbers, since: .distantPast)
            for number in numbers {
                #expect(records.filter { $0.acceptedNumbers.contains(number) }.count == 3)
                let times = (history[number] ?? []).map(\.sentAt).sorted()
                #expect(times.count == 3)
                #expect(times[2].timeIntervalSince(times[0]) >= 59, "\(number) got a third same-content SMS within 59 s")
            }
        }
    }

    @Test("a wait longer than max-defer fails the number with LOCAL_LIMIT; other numbers are not stalled")
    func localLimit() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock) { h in
            let shared = StoreFixtures.numbers(4)
            let fresh = StoreFixtures.numbers(3, block: 7)
            for _ in 0..<2 {
                let (job, lease) = try await h.runningJob(shared)
                #expect(try await h.runner(job, lease: lease).run() == .finished)
            }
            let (job, lease) = try await h.runningJob(shared + fresh, maxDefer: 10)
            let runner = h.runner(job, lease: lease)
            #expect(try await drivingClock(clock) { try await runner.run() } == .finished)
            let summary = try await h.store.summary(of: job)
            #expect(summary.failuresByReason["LOCAL_LIMIT"] == 4)
            #expect(summary.count(.accepted) == 3)
            let failed = try await h.store.numbers(of: job, states: [.failed])
            #expect(failed.allSatisfy { $0.description?.contains("allowed again at") == true })
        }
    }

    @Test("pace: no one-second window of request start times holds more than the rate")
    func paceWindowProperty() async throws {
        // Real time and real HTTP; the property the spec sets is on request start times, which
        // the runner records for every chunk when the request leaves, so it is asserted on those
        // (never on a duration). Two jobs share the one pacer.
        try await RunnerHarness.with(clock: SystemWallClock(), pacerRate: 100, pacerWindow: PaceBudget.platformWindow,
                                     configure: { $0.latency = 0.01...0.05 }) { h in
            var runners: [JobRunner] = []
            var jobs: [JobID] = []
            for block in 0..<2 {
                let (job, lease) = try await h.runningJob(StoreFixtures.numbers(130, block: block), params: ["\(block)"])
                jobs.append(job)
                runners.append(h.runner(job, lease: lease, options: JobRunnerOptions(chunkSize: 20)))
            }
            try await withThrowingTaskGroup(of: JobRunOutcome.self) { group in
                for runner in runners { group.addTask { try await runner.run() } }
                for try await outcome in group { #expect(outcome == .finished) }
            }
            var starts: [(at: Date, size: Int)] = []
            for job in jobs {
                for chunk in try await h.store.chunks(of: job) {
                    let start = try #require(chunk.requestStartedAt)
                    starts.append((start, chunk.size))
                }
            }
            starts.sort { $0.at < $1.at }
            #expect(starts.reduce(0) { $0 + $1.size } == 260)
            let records = await h.simulator.records().filter { $0.extend != nil }
            #expect(records.reduce(0) { $0 + $1.acceptedNumbers.count } == 260)
            for (index, first) in starts.enumerated() {
                let inWindow = starts[index...].prefix { $0.at.timeIntervalSince(first.at) < 1 }
                #expect(inWindow.reduce(0) { $0 + $1.size } <= 100, "window from \(first.at)")
            }
        }
    }

    @Test("a chunk that provably never left is retried after a back-off and sent once")
    func notSentRetried() async throws {
        let clock = ManualWallClock()
        // Find a free port, then close it so connections are refused until a simulator listens there.
        let probe = try await PlatformSimulator.start(SimulatorConfiguration(), clock: clock)
        let port = probe.port
        await probe.shutdown()
        let directory = try TemporaryDirectory(prefix: "notsent")
        let store = try JobStore(dataDirectory: directory.path, clock: clock)
        let client = try RunnerHarness.client("http://127.0.0.1:\(port)", clock: clock)
        defer { client.shutdown() }
        let numbers = StoreFixtures.numbers(20)
        let lease = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(numbers), runner: lease)
        let runner = JobRunner(jobID: job.id, store: store, client: client, pacer: SendPacer(clock: clock), clock: clock,
                               lease: lease, options: JobRunnerOptions(chunkSize: 10))
        let simulator = try await drivingClock(clock) { () async throws -> PlatformSimulator in
            async let outcome = runner.run()
            try await eventually("two chunks were refused as not sent") {
                try await store.chunks(of: job.id, state: .notSent).count >= 2
            }
            var configuration = SimulatorConfiguration()
            configuration.port = port
            configuration.reports.enabled = false
            let simulator = try await PlatformSimulator.start(configuration, clock: clock)
            #expect(try await outcome == .finished)
            return simulator
        }
        let accepted = await simulator.records().flatMap(\.acceptedNumbers)
        #expect(accepted.sorted() == numbers.sorted())
        await simulator.shutdown()
    }

    @Test("a pause made through the store (another process) stops the runner after in-flight chunks settle")
    func pauseFromElsewhere() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, pacerRate: 10) { h in
            let (job, lease) = try await h.runningJob(StoreFixtures.numbers(100))
            let runner = h.runner(job, lease: lease, options: JobRunnerOptions(maxInFlight: 1))
            let store = h.store
            let outcome = try await drivingClock(clock) {
                async let outcome = runner.run()
                try await eventually("ten numbers are accepted") { try await store.summary(of: job).count(.accepted) >= 10 }
                _ = try await store.pauseJob(job)
                return try await outcome
            }
            #expect(outcome == .paused(reason: "paused by the user"))
            let summary = try await store.summary(of: job)
            #expect(summary.job.state == .paused && summary.job.runner == nil)
            #expect(summary.count(.sending) == 0)
            #expect(summary.count(.accepted) + summary.count(.pending) == 100)
        }
    }

    @Test("the stop signal (Ctrl-C) pauses the job cleanly and resume finishes it without resending")
    func stopSignalPauses() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, pacerRate: 10) { h in
            let numbers = StoreFixtures.numbers(60)
            let (job, lease) = try await h.runningJob(numbers)
            let stop = RunnerStopSignal()
            let runner = h.runner(job, lease: lease, stop: stop)
            let store = h.store
            let outcome = try await drivingClock(clock) {
                async let outcome = runner.run()
                try await eventually("ten numbers are accepted") { try await store.summary(of: job).count(.accepted) >= 10 }
                stop.raise()
                return try await outcome
            }
            #expect(outcome == .stopped)
            #expect(try await store.job(job).state == .paused)
            let next = StoreFixtures.remoteLease("second")
            _ = try await store.resumeJob(job, runner: next)
            let again = h.runner(job, lease: next)
            #expect(try await drivingClock(clock) { try await again.run() } == .finished)
            let accepted = await h.acceptedNumbers()
            #expect(accepted.sorted() == numbers.sorted())
        }
    }
}
