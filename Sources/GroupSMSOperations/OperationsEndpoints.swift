import Foundation
import GroupSMSHTTPServer
import GroupSMSModel
import GroupSMSStore
import Hummingbird

/// `GET /metrics`, `GET /livez` and `GET /readyz`, served beside the daemon's status-report
/// receiver (SPEC §9).
///
/// - `/livez` answers 200 while the process serves HTTP at all.
/// - `/readyz` answers 200 when the store passed its health check within `healthTimeout`, 503
///   with the store's error otherwise (the SQLite file gone or replaced, PostgreSQL down).
/// - `/metrics` reads the store gauges (jobs by state, unconfirmed numbers, pace use) at each
///   scrape, within `healthTimeout`, then renders every metric in Prometheus text format; a store
///   that does not answer leaves its gauges as they were and sets `groupsms_store_up` to 0.
public struct OperationsEndpoints: HTTPSideRoutes {
    /// The paths served.
    public static let paths: Set<String> = ["/metrics", "/livez", "/readyz"]

    let metrics: OperationsMetrics
    let store: any StoreOperationsReading
    let health: any StoreHealthCheck
    let clock: any WallClock
    let healthTimeout: Duration

    /// Endpoints over `metrics` and `store`; `/readyz` asks `health` (the store itself unless
    /// given, e.g. the PostgreSQL connection); a probe that takes longer than `healthTimeout` fails.
    public init(metrics: OperationsMetrics, store: any StoreOperationsReading, health: (any StoreHealthCheck)? = nil,
                clock: any WallClock, healthTimeout: Duration = .seconds(5)) {
        self.metrics = metrics
        self.store = store
        self.health = health ?? store
        self.clock = clock
        self.healthTimeout = healthTimeout
    }

    public func response(to request: Request) async -> Response? {
        let path = request.uri.path
        guard Self.paths.contains(path) else { return nil }
        guard request.method == .get || request.method == .head else {
            var response = Self.plain(.methodNotAllowed, "\(path) answers GET\n")
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        switch path {
        case "/livez": return Self.plain(.ok, "ok\n")
        case "/readyz": return await readiness()
        default: return await scrape()
        }
    }

    /// 200 when the store answers its health check in time, 503 saying why not.
    func readiness() async -> Response {
        let health = self.health
        let failure = await FirstOutcome<String?>.race(
            limit: healthTimeout, timeout: "the store did not answer within \(healthTimeout)") {
            do {
                try await health.checkHealth()
                return nil
            } catch {
                return "\(error)"
            }
        }
        guard let failure else { return Self.plain(.ok, "ready\n") }
        return Self.plain(.serviceUnavailable, "not ready: \(UntrustedText.escaped(failure))\n")
    }

    private func scrape() async -> Response {
        let store = self.store, now = clock.now()
        let snapshot = await FirstOutcome<StoreOperationsSnapshot?>.race(limit: healthTimeout, timeout: nil) {
            try? await store.operationsSnapshot(now: now, paceSpan: OperationsMetrics.paceSpan)
        }
        metrics.update(snapshot)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
