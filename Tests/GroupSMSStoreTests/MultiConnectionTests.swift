import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

/// Several stores on one data dir at once, as the daemon, a foreground `send` and a report
/// receiver would be: every write waits its turn (BEGIN IMMEDIATE + busy timeout) and none fails.
@Suite struct MultiConnectionTests {
    @Test func concurrentWritersOnOneDataDirAllSucceed() async throws {
        let folder = try TemporaryDirectory(prefix: "multi")
        let clock = ManualWallClock()
        let options = JobStoreOptions(durability: .normal)
        let stores = try (0..<3).map { _ in try JobStore(dataDirectory: folder.path, clock: clock, options: options) }
        let leases = (0..<2).map { StoreFixtures.remoteLease("runner\($0)") }
        let jobs = [
            try await stores[0].createJob(StoreFixtures.draft(StoreFixtures.numbers(3000, block: 1)), runner: leases[0]),
            try await stores[1].createJob(StoreFixtures.draft(StoreFixtures.numbers(3000, block: 2)), runner: leases[1]),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<2 {
                group.addTask {
                    while let chunk = try await stores[index].claimChunk(for: jobs[index].id, runner: leases[index],
                                                                        maxNumbers: 100).chunk {
                        _ = try await stores[index].recordChunkAnswer(chunk.id, runner: leases[index],
                                                                      answer: StoreFixtures.acceptAll(chunk, at: clock.now()))
                    }
                    _ = try await stores[index].finishJob(jobs[index].id, runner: leases[index])
                }
            }
            group.addTask {
                for batch in 0..<40 {
                    let reports = (0..<50).map { StatusReport(smsMsgId: "m\(batch)-\($0)", status: "DELIVRD") }
                    _ = try await stores[2].storeStatusReports(reports)
                }
                _ = try await stores[2].createJob(StoreFixtures.draft(StoreFixtures.numbers(5000, block: 3)))
            }
            try await group.waitForAll()
        }
        let summaries = try await stores[2].summaries()
        #expect(summaries.map(\.total) == [5000, 3000, 3000])
        #expect(summaries.dropFirst().allSatisfy { $0.job.state == .finished && $0.count(.accepted) == 3000 })
        #expect(try await stores[0].unappliedStatusReports(limit: 5000).count == 2000)
        #expect(try await stores[1].integrityCheck() == ["ok"])
    }
}
