import Foundation
import GroupSMSModel
import GroupSMSJobs
import GroupSMSSimulator
import GroupSMSTestSupport
import Testing

/// SPEC §4 against a simulator that takes a request and then answers strangely: at most once
/// beats everything, so a number whose outcome cannot be proven is unconfirmed and never sent
/// again by itself, not even by `rerun`.
@Suite("At most once under every answer")
struct AtMostOnceTests {
    /// The answers the platform (or the path to it) may give after it took a request.
    enum AmbiguousForm: String, CaseIterable, Sendable {
        case acceptThen502, acceptThenGatewayBody, acceptThenUnknownCode

        func apply(to configuration: inout SimulatorConfiguration) {
            switch self {
            case .acceptThen502: configuration.acceptThen502Fraction = 1
            case .acceptThenGatewayBody: configuration.acceptThenGatewayBodyFraction = 1
            case .acceptThenUnknownCode: configuration.unknownCodeFraction = 1
            }
            configuration.faultFirstRequests = 1
        }
    }

    @Test("an accepted request answered ambiguously leaves its numbers unconfirmed; rerun does not send them again",
          arguments: AmbiguousForm.allCases)
    func ambiguousThenRerun(_ form: AmbiguousForm) async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, configure: form.apply) { h in
            let numbers = StoreFixtures.numbers(30)
            let (job, lease) = try await h.runningJob(numbers)
            let runner = h.runner(job, lease: lease, options: JobRunnerOptions(maxInFlight: 1, chunkSize: 10))
            #expect(try await drivingClock(clock) { try await runner.run() } == .finished)
            let summary = try await h.store.summary(of: job)
            #expect(summary.count(.unconfirmed) == 10, "the first chunk's answer proves nothing")
            #expect(summary.count(.accepted) == 20)
            #expect(summary.count(.notSent) == 0, "an ambiguous answer is never recorded as not sent")
            await #expect {
                _ = try await h.store.rerunJob(job)
            } throws: { error in
                "\(error)".contains("10 unconfirmed numbers can be sent again with --include-unconfirmed")
            }
            let accepted = await h.acceptedNumbers()
            #expect(accepted.count == 30 && Set(accepted) == Set(numbers), "the platform took each number exactly once")
        }
    }

    @Test("E200028 for every number stops the job at the first answer; the rest is kept as not-sent")
    func wholeRequestCodeStopsTheJob() async throws {
        let clock = ManualWallClock()
        try await RunnerHarness.with(clock: clock, configure: { $0.wholeRequestStatus = "E200028" }) { h in
            let (job, lease) = try await h.runningJob(StoreFixtures.numbers(1_500))
            let outcome = try await drivingClock(clock) { try await h.runner(job, lease: lease).run() }
            guard case .failed(let code, let message) = outcome else {
                Issue.record("expected the job to fail, got \(outcome)")
                return
            }
            #expect(code == "E200028")
            #expect(message.contains("which every number of the job would get") && message.contains("rerun the job"))
            #expect(await h.simulator.records().count == 1, "one request, not three")
            let summary = try await h.store.summary(of: job)
            #expect(summary.job.state == .failed)
            #expect(summary.failuresByReason["E200028"] == 500)
            #expect(summary.count(.notSent) == 1_000)
        }
    }
}
