import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

/// When a window opens for many numbers at once they are released under the account's pace,
/// in file order, not in a burst (SPEC §8, §4).
@Suite struct SendWindowReleaseTests {
    @Test func a100000NumberBacklogAtEightIsReleasedUnderThePaceInFileOrder() async throws {
        let folder = try TemporaryDirectory(prefix: "windows-release")
        let clock = ManualWallClock(start: try SendWindowClaimTests.instant("2026-12-01T23:00:00+08:00"))
        let store = try JobStore(dataDirectory: folder.path, clock: clock, options: JobStoreOptions(durability: .normal))
        let numbers = StoreFixtures.numbers(100_000)
        let lease = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(numbers, sendWindow: .regionDefaults), runner: lease).id
        var postponed = 0
        for _ in 0..<20 {
            let claim = try await store.claimChunk(for: job, runner: lease)
            postponed += claim.postponed
            if !claim.hasMoreDue { break }
        }
        #expect(postponed == 100_000)
        let opening = try SendWindowClaimTests.instant("2026-12-02T08:00:00+08:00")
        clock.set(opening)
        let pace = PaceBudget(account: "windows-test", window: PaceBudget.platformWindow)
        var starts: [(at: Int64, count: Int)] = []
        var released: [String] = []
        var claims = 0
        while claims < 2_000 {
            claims += 1
            let claim = try await store.claimChunk(for: job, runner: lease, pace: pace)
            if let wait = claim.paceWaitUntil {
                clock.set(wait)
                continue
            }
            let chunk = try #require(claim.chunk, "a claim after the opening found nothing to send")
            starts.append((SlidingWindowLimit.microseconds(try #require(chunk.startsAt)), chunk.numbers.count))
            released += chunk.numbers
            _ = try await store.recordChunkAnswer(chunk.id, runner: lease, answer: StoreFixtures.acceptAll(chunk, at: clock.now()))
            if claim.isDrained { break }
        }
        #expect(released == numbers, "released in file order, each number once")
        #expect(busiestWindow(starts) <= 500, "a window of the account's pace held more than 500 numbers")
        #expect(starts.count == 200)
        let span = Double(starts.last!.at - starts.first!.at) / 1_000_000
        #expect(span >= 199 * PaceBudget.platformWindow - 0.001, "the backlog took \(span) s, not 200 windows")
    }
}

@Suite struct SendWindowMigrationTests {
    @Test func aJobStoredBeforeSendWindowsGetsTheRegionalDefaultsAndKeepsItsDeferrals() async throws {
        let folder = try TemporaryDirectory(prefix: "windows-migration")
        let path = folder.file(JobStore.databaseFileName)
        // A data dir of the last schema without send windows, holding one job with a deferred number.
        let before = StoreSchema.migrations.firstIndex(of: StoreSchema.version6)!
        let raw = try SQLiteConnection(path: path, busyTimeout: .seconds(1), durability: .normal)
        for (index, script) in StoreSchema.migrations.prefix(before).enumerated() {
            try raw.executeScript(script)
            try raw.executeScript("PRAGMA user_version = \(index + 1)")
        }
        try raw.executeScript("""
            INSERT INTO store_meta(key, value) VALUES ('instance', 'mig1');
            INSERT INTO jobs(name, template_id, sender, default_country, content_key, rate, max_defer_ms, state,
                scheduled_at, created_at) VALUES ('old', 't', '8824110605', 'CN', 'k', 500, 3600000, 'paused', 0, 0);
            INSERT INTO numbers(job_id, position, e164, state, deferred_until, description)
                VALUES (1, 0, '+8613900000001', 'deferred', 1796086800000, 'deferred until ...: limit of 15 per minute');
            """)
        let store = try JobStore(dataDirectory: folder.path, clock: ManualWallClock())
        #expect(try await store.schemaVersion() == StoreSchema.latestVersion)
        let summary = try await store.summary(of: JobID(1))
        #expect(summary.job.sendWindow == .regionDefaults && summary.job.sendBy == nil)
        #expect(summary.deferredByReason == ["HELD": 1], "a deferral from before reasons were recorded counts as held")
        #expect(try await store.integrityCheck() == ["ok"])
    }
}
