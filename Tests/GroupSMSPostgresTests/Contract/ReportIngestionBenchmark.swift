import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// Report ingestion speed on both stores: single-report requests from 20 concurrent tasks, each
/// report stored and applied to its accepted number, as a receiver does. Measured only when
/// GROUPSMS_REPORT_BENCH gives the number of requests (e.g. 20000); prints reports/s and the
/// median and p99 latency of a request, and fails unless every report was applied exactly once.
///
/// The PostgreSQL server is the tests' throwaway one (fsync and synchronous_commit off); the
/// SQLite store runs with its product default, full durability.
@Suite("Store contract: report ingestion benchmark", .serialized)
struct ReportIngestionBenchmark {
    static let requests = ProcessInfo.processInfo.environment["GROUPSMS_REPORT_BENCH"].flatMap { Int($0) }

    @Test(.enabled(if: requests != nil, "set GROUPSMS_REPORT_BENCH to the number of requests"),
          arguments: StoreBackend.allCases)
    func singleReportRequestsFrom20Tasks(backend: StoreBackend) async throws {
        let count = try #require(Self.requests)
        let fixture = try await StoreContractFixture.make(backend)
        let harness = try await ReportHarness.open(fixture)
        let (job, numbers, ids) = try await harness.acceptedJob(count, runner: StoreContractFixture.runner("bench"))
        let reports = numbers.enumerated().map { index, number in
            StatusReport(smsMsgId: ids[number]!, status: index % 50 == 7 ? "BLACK" : index % 10 == 3 ? "UNDELIV" : "DELIVRD",
                         total: 1, sequence: 1, updateTime: "2026-12-01T01:00:00Z")
        }
        let start = ContinuousClock.now, startCPU = Self.processCPUSeconds()
        let results = try await withThrowingTaskGroup(of: (applied: Int, latencies: [Double]).self) { group in
            for task in 0..<20 {
                group.addTask {
                    var applied = 0, latencies: [Double] = []
                    for index in stride(from: task, to: reports.count, by: 20) {
                        let sent = ContinuousClock.now
                        applied += try await harness.receive([reports[index]]).applied
                        latencies.append((ContinuousClock.now - sent) / .milliseconds(1))
                    }
                    return (applied, latencies)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let cpu = Self.processCPUSeconds() - startCPU
        let latencies = results.flatMap(\.latencies).sorted()
        let applied = results.reduce(0) { $0 + $1.applied }
        print(String(format: "report ingestion (%@): %d single-report requests, 20 tasks: %.2f s = %.0f reports/s, "
                     + "median %.2f ms, p99 %.2f ms; this process used %.2f s CPU", backend.rawValue, count, seconds, Double(count) / seconds,
                     latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 99 / 100)], cpu))
        #expect(applied == count)
        let summary = try await harness.store.summary(of: job.id)
        #expect(summary.awaitingReport == 0 && summary.count(.delivered) + summary.count(.failed) == count)
        await harness.close()
    }

    /// CPU time (user and system) of this process so far: a figure near the wall time means the
    /// test process, not the store, limits the rate.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let total = [usage.ru_utime, usage.ru_stime].reduce(0.0) { $0 + Double($1.tv_sec) + Double($1.tv_usec) / 1e6 }
        return total
    }
}
