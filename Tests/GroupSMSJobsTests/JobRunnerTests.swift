import Foundation
import GroupSMSPlatform
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport
import Testing

@Suite("Job runner against the simulator")
struct JobRunnerTests {
    @Test("sends every number once in chunks of at most 500 with the chunk's extend tag")
    func successCounts() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock) { h in
            let numbers = StoreFixtures.numbers(1_100)
            let (job, lease) = try await h.runningJob(numbers)
            let runner = h.runner(job, lease: lease)
            let outcome = try await drivingClock(clock) { try await runner.run() }
            #expect(outcome == .finished)
            let summary = try await h.store.summary(of: job)
            #expect(summary.job.state == .finished)
            #expect(summary.count(.accepted) == 1_100)
            let records = await h.simulator.records()
            #expect(records.map(\.numbers.count).sorted() == [100, 500, 500])
            #expect(Set(records.compactMap(\.extend)).count == 3)
            let accepted = await h.acceptedNumbers()
            #expect(accepted.count == 1_100 && Set(accepted) == Set(numbers))
            for record in records {
                let chunk = try #require(try await h.store.chunk(withTag: record.extend ?? ""))
                #expect(chunk.size == record.numbers.count && chunk.state == .answered)
            }
        }
    }

    @Test("a fatal account code fails the job with a clear message; the rest is not sent")
    func fatalAuth() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, configure: { $0.accountState = .frozen }) { h in
            let (job, lease) = try await h.runningJob(StoreFixtures.numbers(1_200))
            let runner = h.runner(job, lease: lease, options: JobRunnerOptions(maxInFlight: 1))
            let outcome = try await drivingClock(clock) { try await runner.run() }
            guard case .failed(let code, let message) = outcome else {
                Issue.record("expected a failed job, got \(outcome)")
                return
            }
            #expect(code == "E000112")
            #expect(message.contains("credentials"))
            let summary = try await h.store.summary(of: job)
            #expect(summary.job.state == .failed)
            #expect(summary.count(.notSent) == 1_200 && summary.count(.accepted) == 0)
            #expect(summary.job.lastError?.contains("E000112") == true)
            #expect(await h.simulator.records().count == 1, "no request after the fatal answer")
        }
    }

    @Test("E000623 (account send limit) pauses the job; its numbers stay queued")
    func accountLimitPauses() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, configure: { $0.dailyLimit = 600 }) { h in
            let (job, lease) = try await h.runningJob(StoreFixtures.numbers(1_100))
            let runner = h.runner(job, lease: lease, options: JobRunnerOptions(maxInFlight: 1))
            let outcome = try await drivingClock(clock) { try await runner.run() }
            guard case .paused(let reason) = outcome else {
                Issue.record("expected a paused job, got \(outcome)")
                return
            }
            #expect(reason.contains("E000623"))
            let summary = try await h.store.summary(of: job)
            #expect(summary.job.state == .paused && summary.job.runner == nil)
            #expect(summary.count(.accepted) == 500)
            #expect(summary.count(.pending) + summary.count(.deferred) == 600)
        }
    }

    @Test("E200015 (flow control) holds sending for 10 minutes of the clock, then continues")
    func flowControlBacksOff() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, configure: { $0.maxRate = 5 }) { h in
            // Fill the platform's one-second window so the job's first request is flow-controlled.
            _ = try await h.client.send(.batch(PlatformBatchSendRequest(
                from: "8824110605", to: ["+8613900000999"], templateId: "tmpl-1", templateParas: ["a"])))
            let numbers = StoreFixtures.numbers(5)
            let (job, lease) = try await h.runningJob(numbers, rate: 5)
            let runner = h.runner(job, lease: lease)
            let task = Task { try await runner.run() }
            let store = h.store
            try await eventually("the flow-controlled numbers are deferred") { try await store.summary(of: job).count(.deferred) == 5 }
            #expect(try await store.summary(of: job).deferredByReason == ["FLOW_CONTROL": 5])
            let refused = await h.simulator.records()
            #expect(refused.count == 2 && refused[1].statuses.allSatisfy { $0 == "E200015" })
            clock.advance(by: 599)
            // The hold wakes the runner's nap; once it naps again it has done all it would do
            // before the 10 minutes are over (a request it sent would be settled first).
            try await untilIdle(clock, "the runner naps again on the hold")
            #expect(await h.simulator.records().count == 2, "nothing is sent before the 10 minutes are over")
            clock.advance(by: 1)
            if try await !eventually("the job finishes once the hold is over", { try await store.job(job).state == .finished }) {
                task.cancel()
            }
            #expect(try await task.value == .finished)
            let records = await h.simulator.records()
            #expect(records.count == 3 && records[2].acceptedNumbers == numbers)
            #expect(records[2].receivedAt.timeIntervalSince(records[1].receivedAt) >= 600)
        }
    }

    @Test("a 5xx answer makes its numbers unconfirmed and never resent; the numbers answered go on")
    func serverErrorIsUnconfirmed() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, configure: {
            $0.serverErrorFraction = 0.3
            $0.seed = 7
        }) { h in
            let numbers = StoreFixtures.numbers(60)
            let (job, lease) = try await h.runningJob(numbers)
            let runner = h.runner(job, lease: lease, options: JobRunnerOptions(maxInFlight: 1, chunkSize: 10))
            let outcome = try await drivingClock(clock) { try await runner.run() }
            let records = await h.simulator.records()
            let failed = records.filter { $0.httpStatus == 500 }.count
            #expect(failed > 0 && failed < AnswerPolicy.ambiguousLimit, "seed 7 gives some 5xx answers, none 3 in a row")
            #expect(outcome == .finished)
            let summary = try await h.store.summary(of: job)
            // At most once: a 5xx may follow an accepted request, so its numbers are never sent again.
            #expect(summary.count(.unconfirmed) == failed * 10)
            #expect(summary.count(.accepted) + summary.count(.unconfirmed) == 60)
            let accepted = await h.acceptedNumbers()
            #expect(Set(accepted).count == accepted.count, "no number reached the platform twice")
            #expect(records.count == 6, "six requests of ten numbers, none repeated")
        }
    }

    @Test("ambiguous answers make their numbers unconfirmed, and three in a row pause the job with a message")
    func ambiguousRunPausesTheJob() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, configure: { $0.dropFraction = 1 }) { h in
            let numbers = StoreFixtures.numbers(50)
            let (job, lease) = try await h.runningJob(numbers)
            let runner = h.runner(job, lease: lease, options: JobRunnerOptions(maxInFlight: 1, chunkSize: 10))
            let outcome = try await drivingClock(clock) { try await runner.run() }
            guard case .paused(let reason) = outcome else {
                Issue.record("expected a pause, got \(outcome)")
                return
            }
            #expect(reason.hasPrefix("AMBIGUOUS: 3 requests in a row had no provable outcome"))
            let summary = try await h.store.summary(of: job)
            #expect(summary.count(.unconfirmed) == 30)
            #expect(summary.count(.pending) == 20, "nothing more is sent once the job pauses")
            let accepted = await h.acceptedNumbers()
            #expect(accepted.count == 30 && Set(accepted).count == 30, "the platform got each number exactly once")
        }
    }
}
