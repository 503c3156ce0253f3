import Testing
import GroupSMSTestSupport

/// The test parser itself: it must accept what Prometheus accepts and refuse each rule broken,
/// or the `/metrics` tests would prove nothing.
@Suite struct PrometheusTextTests {
    static let valid = """
        # HELP requests_total Requests by outcome, with a \\\\ and a \\n escaped.
        # TYPE requests_total counter
        requests_total{outcome="answered"} 3
        requests_total{outcome="quote \\" and \\\\ back"} 0
        # TYPE up gauge
        up 1
        # TYPE latency_seconds histogram
        latency_seconds_bucket{le="0.1"} 1
        latency_seconds_bucket{le="1.0"} 2
        latency_seconds_bucket{le="+Inf"} 3
        latency_seconds_sum 4.5
        latency_seconds_count 3

        """

    @Test func readsFamiliesLabelsAndValues() throws {
        let text = try PrometheusText(parsing: Self.valid)
        #expect(text.families.map(\.name) == ["requests_total", "up", "latency_seconds"])
        #expect(text.family("requests_total")?.help == "Requests by outcome, with a \\ and a \n escaped.")
        #expect(text.value("requests_total", ["outcome": "answered"]) == 3)
        #expect(text.value("requests_total", ["outcome": "quote \" and \\ back"]) == 0)
        #expect(text.value("latency_seconds_bucket", ["le": "+Inf"]) == 3)
        #expect(text.family("latency_seconds")?.type == "histogram")
    }

    @Test(arguments: [
        ("up 1\n", "before any # TYPE"),
        ("# TYPE up gauge\n# TYPE up gauge\nup 1\n", "second # TYPE"),
        ("# TYPE up gauge\nup 1\n# HELP up late\n", "after its samples"),
        ("# TYPE up gauge\nup{a=\"1\",a=\"2\"} 1\n", "label a twice"),
        ("# TYPE up gauge\nup{a=\"\\x\"} 1\n", "bad escape"),
        ("# TYPE up gauge\nup{a=\"1\"} 1\nup{a=\"1\"} 2\n", "appears twice"),
        ("# TYPE up gauge\nup one\n", "bad value"),
        ("# TYPE 9up gauge\n", "bad metric name"),
        ("# TYPE c counter\nc -1\n", "negative"),
        ("# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"1\"} 1\n", "not together"),
        ("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "decrease"),
        ("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "+Inf"),
        ("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "is not _count"),
        ("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n", "no _sum"),
        ("# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
         "not increasing"),
    ])
    func refusesEachBrokenRule(_ text: String, _ rule: String) {
        do {
            _ = try PrometheusText(parsing: text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(rule), "\(error)")
        }
    }
}
