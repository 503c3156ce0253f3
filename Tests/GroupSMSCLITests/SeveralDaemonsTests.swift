import Foundation
import GroupSMSTestSupport
import Testing

/// Several `groupsms daemon` processes on one PostgreSQL store (SPEC §9), against simulators
/// over loopback: one account pace across them, take-over of a dead or stalled daemon's job
/// under a fencing token, and a database restart mid-job. At most once throughout: a number the
/// platform's log shows twice fails every test.
@Suite("Several daemons on one PostgreSQL store")
struct SeveralDaemonsTests {
    @Test("two daemons, two due jobs: every number once, and no second of the platform's log above the account's 500")
    func twoDaemonsShareTheAccountPace() async throws {
        let kit = try await SharedStoreKit.make()
        let platform = try kit.simulator("sim")
        defer { platform.process.terminate() }
        let daemons = try ["a", "b"].map { try kit.daemon($0, endpoint: platform.endpoint, lease: 5) }
        for block in 0..<2 { try kit.submit(count: 1_500, block: block) }
        try await kit.untilFinished(["job-1", "job-2"])
        let accepted = SharedStoreKit.accepted([platform.log])
        #expect(accepted.count == 3_000 && Set(accepted).count == 3_000, "every number accepted once")
        let receipts = SharedStoreKit.receipts([platform.log])
        #expect(busiestWindow(receipts) <= 500, "the account cap held across both daemons: \(receipts)")
        // Which daemon ran which job is up to who woke first; both cases keep the cap (the
        // pace is reserved in the store), so the split is printed, not asserted.
        let split = daemons.map { daemon in SharedStoreKit.events(daemon).filter { $0.event == "job.started" }.count }
        print("two daemons on one PostgreSQL store: jobs started per daemon \(split), busiest second \(busiestWindow(receipts))")
        for daemon in daemons { #expect(await daemon.stop() == 0, "\(daemon.stderr)") }
    }

    @Test("SIGKILL of the daemon running a job: the other takes it over within the lease + 2 s and finishes it")
    func aKilledDaemonsJobIsFinishedByTheOther() async throws {
        let kit = try await SharedStoreKit.make()
        let platform = try kit.simulator("sim", latency: "100-200")
        defer { platform.process.terminate() }
        let lease = 5
        let daemons = try ["a", "b"].map { try kit.daemon($0, endpoint: platform.endpoint, lease: lease) }
        try kit.submit(count: 3_000, block: 0)
        var runner: Int?
        try await kit.until("a daemon started the job") {
            runner = daemons.firstIndex { SharedStoreKit.events($0).contains { $0.event == "job.started" } }
            return runner != nil
        }
        try await kit.until("the platform accepted a request") { !SharedStoreKit.accepted([platform.log]).isEmpty }
        let (dead, other) = (daemons[runner!], daemons[1 - runner!])
        _ = await dead.stop(signal: SIGKILL)
        let killed = ContinuousClock.now
        try await kit.until("the other daemon took the job over") {
            SharedStoreKit.events(other).contains { $0.event == "job.recovered" }
        }
        let handover = ContinuousClock.now - killed
        #expect(handover < .seconds(lease + 2), "taken over after \(handover)")
        print("SIGKILL of a daemon with a \(lease) s lease: taken over after \(handover)")
        try await kit.untilFinished(["job-1"])
        try Self.expectAtMostOnce(kit, logs: [platform.log], count: 3_000)
        #expect(await other.stop() == 0, "\(other.stderr)")
    }

    // A daemon frozen inside a transaction holds its row locks, and with them the take-over's
    // FOR UPDATE: sessions end after 10 s idle in a transaction (PostgresStoreConnection+Login).
    @Test("SIGSTOP past the lease, then SIGCONT: the stalled daemon sends nothing after it wakes and stops its runner cleanly")
    func aStalledRunnerSendsNothingAfterItWakes() async throws {
        let kit = try await SharedStoreKit.make()
        // One simulator per daemon, so the platform's logs say which daemon sent what.
        let platformA = try kit.simulator("sim-a", latency: "100-200"), platformB = try kit.simulator("sim-b")
        defer { platformA.process.terminate(); platformB.process.terminate() }
        let stalled = try kit.daemon("a", endpoint: platformA.endpoint, lease: 3)
        try kit.submit(count: 3_000, block: 0)
        try await kit.until("daemon a sent a request") { !SharedStoreKit.accepted([platformA.log]).isEmpty }
        kill(stalled.pid, SIGSTOP)
        let other = try kit.daemon("b", endpoint: platformB.endpoint, lease: 3)
        try await kit.until("daemon b took the job over") { SharedStoreKit.events(other).contains { $0.event == "job.recovered" } }
        try await kit.until("daemon b sent a request") { !SharedStoreKit.accepted([platformB.log]).isEmpty }
        let woke = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        kill(stalled.pid, SIGCONT)
        try await kit.untilFinished(["job-1"])
        try await kit.until("daemon a noticed it lost the job") {
            SharedStoreKit.events(stalled).contains { $0.event == "job.ended" || $0.event == "job.error" }
        }
        let afterWaking = CrashResumeTests.receipts(in: platformA.log).filter { $0.at > woke }
        #expect(afterWaking.isEmpty, "the stalled daemon sent after it woke: \(afterWaking)")
        try Self.expectAtMostOnce(kit, logs: [platformA.log, platformB.log], count: 3_000)
        #expect(await stalled.stop() == 0, "the woken daemon stops cleanly: \(stalled.stderr)")
        #expect(await other.stop() == 0, "\(other.stderr)")
    }

    // The restart ends the daemon's sessions between two statements of a transaction: the next
    // statement fails (PostgresConnection.run) instead of waiting forever, the runner stops on
    // that error and the daemon's next pass takes the job over.
    @Test("the database restarted mid-job: the daemon reconnects, finishes the job, and sends no number twice")
    func aDatabaseRestartMidJobSendsNothingTwice() async throws {
        let server = try await ThrowawayPostgres.start()
        let kit = try await SharedStoreKit.make(server: server)
        let platform = try kit.simulator("sim", latency: "50-100")
        defer { platform.process.terminate() }
        let daemon = try kit.daemon("a", endpoint: platform.endpoint, lease: 3)
        try kit.submit(count: 3_000, block: 0)
        try await kit.until("the platform accepted a request") { !SharedStoreKit.accepted([platform.log]).isEmpty }
        // Three restarts, so one lands between two statements of a transaction.
        for _ in 0..<3 {
            try await server.restartServer()
            try await Task.sleep(for: .milliseconds(300))
        }
        try await kit.untilFinished(["job-1"])
        try Self.expectAtMostOnce(kit, logs: [platform.log], count: 3_000)
        #expect(await daemon.stop() == 0, "\(daemon.stderr)")
        try await server.stopServer()
    }

    /// No number reached the platform twice, and every number ended accepted or unconfirmed.
    private static func expectAtMostOnce(_ kit: SharedStoreKit, logs: [String], count: Int) throws {
        let accepted = SharedStoreKit.accepted(logs)
        #expect(accepted.count == Set(accepted).count, "a number reached the platform twice")
        let show = try kit.show("job-1")
        let settled = (show["accepted"] as? Int ?? -1) + (show["unconfirmed"] as? Int ?? -1)
        #expect(settled == count, "every number accepted or unconfirmed: \(show)")
        #expect(Set(accepted).count >= show["accepted"] as? Int ?? .max)
    }
}
