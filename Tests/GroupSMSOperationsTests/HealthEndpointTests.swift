import Foundation
import Testing
import GroupSMSModel
import GroupSMSStore
import GroupSMSPostgres
import GroupSMSReports
@testable import GroupSMSOperations
import GroupSMSTestSupport
import Hummingbird

/// `/livez` and `/readyz` on the receiver's port, with a SQLite store that goes away and comes back.
@Suite struct HealthEndpointTests {
    @Test func readyzIs503WhileTheStoreCannotBeUsedAndLivezStays200() async throws {
        let folder = try TemporaryDirectory(prefix: "ops-health")
        let clock = ManualWallClock()
        let store = try JobStore(dataDirectory: folder.path, clock: clock)
        let receiver = try await StatusReportReceiver.start(
            store: store, host: "127.0.0.1", port: 0, pathToken: nil,
            operations: StatusReportReceiverOperations(routes: OperationsEndpoints(
                metrics: OperationsMetrics(), store: store, clock: clock)),
            log: { _ in })
        let base = "http://127.0.0.1:\(receiver.port)"
        do {
            #expect(try await OperationsHTTP.request(base + "/livez").status == 200)
            let ready = try await OperationsHTTP.request(base + "/readyz")
            #expect(ready.status == 200 && ready.body == "ready\n")

            // The data dir's database moved away (an unmounted or deleted data dir).
            let database = folder.file(JobStore.databaseFileName)
            try FileManager.default.moveItem(atPath: database, toPath: database + ".away")
            let down = try await OperationsHTTP.request(base + "/readyz")
            #expect(down.status == 503)
            #expect(down.body.contains("not ready") && down.body.contains("no longer there"), "\(down.body)")
            #expect(try await OperationsHTTP.request(base + "/livez").status == 200)
            let scrape = try PrometheusText(parsing: try await OperationsHTTP.request(base + "/metrics").body)
            #expect(scrape.value("groupsms_store_up") == 1, "the snapshot still reads the open file")

            try FileManager.default.moveItem(atPath: database + ".away", toPath: database)
            #expect(try await OperationsHTTP.request(base + "/readyz").status == 200)
            #expect(try await OperationsHTTP.request(base + "/readyz", method: "POST").status == 405)
        } catch {
            await receiver.shutdown()
            throw error
        }
        await receiver.shutdown()
    }

    /// A store that does not answer in time is not ready (without waiting for it), and its gauges
    /// are marked stale. The bound is far below the store's 120 s: a loaded machine may be slow,
    /// but only a probe that waited for the store takes that long.
    @Test func aStoreThatHangsIsNotReadyWithinTheTimeout() async throws {
        let metrics = OperationsMetrics()
        let endpoints = OperationsEndpoints(metrics: metrics, store: HangingStore(), clock: ManualWallClock(),
                                            healthTimeout: .milliseconds(200))
        let started = ContinuousClock.now
        let response = await endpoints.readiness()
        #expect(response.status == .serviceUnavailable)
        #expect(ContinuousClock.now - started < .seconds(60))
        metrics.update(nil)
        #expect(try PrometheusText(parsing: metrics.render()).value("groupsms_store_up") == 0)
    }
}

/// A store whose every call waits for two minutes (a server that accepted and went silent).
private struct HangingStore: StoreOperationsReading {
    func checkHealth() async throws { try await Task.sleep(for: .seconds(120)) }
    func operationsSnapshot(now: Date, paceSpan: TimeInterval) async throws -> StoreOperationsSnapshot {
        try await Task.sleep(for: .seconds(120))
        return StoreOperationsSnapshot(jobs: [:], unconfirmedNumbers: 0, paceNumbers: [:])
    }
}

/// `/readyz` with the PostgreSQL connection as the health check: the same endpoint, the other store.
@Suite struct PostgresReadinessTests {
    @Test func readyzFollowsAPostgreSQLServerGoingDownAndComingBack() async throws {
        let server = try await ThrowawayPostgres.start()
        let connection = try await server.connect(database: try await server.makeDatabase(),
                                                  options: PostgresStoreOptions(healthTimeout: .seconds(2)))
        let folder = try TemporaryDirectory(prefix: "ops-pg-ready")
        let endpoints = OperationsEndpoints(
            metrics: OperationsMetrics(), store: try JobStore(dataDirectory: folder.path, clock: ManualWallClock()),
            health: connection, clock: ManualWallClock(), healthTimeout: .seconds(5))
        #expect(await endpoints.readiness().status == .ok)
        try await server.stopServer()
        let down = await endpoints.readiness()
        #expect(down.status == .serviceUnavailable)
        try await server.startServer()
        var ready = false
        for _ in 0..<50 where !ready {
            ready = await endpoints.readiness().status == .ok
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "/readyz did not come back within 5 s of the server's restart")
        await connection.close()
    }
}
