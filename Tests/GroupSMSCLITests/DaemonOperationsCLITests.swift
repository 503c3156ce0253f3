import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GroupSMSTestSupport
import Testing

/// The real `groupsms daemon --listen ... --log-format json`: its port serves /livez, /readyz
/// and /metrics, and every line it writes is a JSON object.
@Suite struct DaemonOperationsCLITests {
    @Test func theDaemonServesItsOperationsEndpointsAndLogsJSON() async throws {
        let directory = try TemporaryDirectory(prefix: "cli-daemon-ops")
        let port = try FreeLoopbackPort.pick()
        let token = "ReportToken-0123456789abcdef"
        let daemon = try BackgroundCommand([
            "daemon", "--listen", "127.0.0.1:\(port)", "--endpoint", "http://127.0.0.1:9", "--report-token", token,
            "--data-dir", directory.file("data"), "--log-format", "json",
        ], environment: JobCLITestKit.demoCredentials)
        let base = "http://127.0.0.1:\(port)"
        var live = false
        for _ in 0..<200 where !live {
            live = (try? await Self.get(base + "/livez"))?.status == 200
            if !live { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(live, "the daemon did not answer /livez within 10 s: \(daemon.stderr)")
        #expect(try await Self.get(base + "/readyz").status == 200)
        let scrape = try await Self.get(base + "/metrics")
        let metrics = try PrometheusText(parsing: scrape.body)
        #expect(metrics.value("groupsms_store_up") == 1)
        #expect(metrics.value("groupsms_jobs", ["state": "scheduled"]) == 0)
        #expect(metrics.value("groupsms_numbers_sent_total") == 0)
        #expect(await daemon.stop() == 0)
        let lines = daemon.stdout.split(separator: "\n")
        let events = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
        }.compactMap { $0["event"] }
        #expect(events.contains("daemon.started") && events.contains("receiver.started") && events.last == "daemon.stopped",
                "\(events)")
        for secret in [token, JobCLITestKit.demoCredentials["GROUPSMS_APP_SECRET"]!] {
            #expect(!daemon.stdout.contains(secret) && !daemon.stderr.contains(secret))
        }
    }

    private static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: URL(string: url)!, timeoutInterval: 5))
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
