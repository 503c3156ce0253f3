import Foundation
import GroupSMSPlatform
import GroupSMSSimulator
import Testing

@Suite("Platform transport failures")
struct PlatformTransportFailureTests {
    @Test func droppedConnectionAfterTheBodyIsAmbiguous() async throws {
        try await PlatformTestKit.withSimulator({ $0.dropFraction = 1 }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint)
            defer { client.shutdown() }
            // Twice: the second request goes out on a kept-alive connection, where libcurl would
            // otherwise resend it silently on a fresh one.
            for start in [0, 10] {
                let result = try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(2, start: start)))
                guard case .ambiguous(let failure) = result else {
                    Issue.record("expected ambiguous, got \(result)")
                    return
                }
                #expect([.emptyReply, .connectionLost].contains(failure.reason))
            }
            let records = await simulator.records()
            #expect(records.count == 2, "the request must not be delivered twice")
            #expect(records.allSatisfy { $0.fault == "drop" && $0.acceptedNumbers.count == 2 })
        }
    }

    /// libcurl resends a request on a fresh connection when a reused one dies without an answer.
    /// The transport must turn that into an ambiguous failure, never a second delivery (libcurl
    /// then reports code 65, "necessary data rewind wasn't possible").
    @Test func droppedConnectionOnAReusedConnectionIsNotResent() async throws {
        try await PlatformTestKit.withSimulator({ $0.dropFraction = 1 }) { simulator in
            let transport = try PlatformHTTPTransport(options: PlatformTransportOptions(connectTimeout: 1, requestTimeout: 3))
            defer { transport.shutdown() }
            let body = Array(PlatformFormEncoding.body([("from", "8824000000001"), ("to", "+8613100000001"),
                                                        ("templateId", "tmpl0001")]).utf8)
            let url = simulator.endpoint + "/sms/batchSendSms/v1"
            // Refused before the fault draw, so it is answered and leaves the connection open.
            let unsigned = await transport.perform(PlatformHTTPRequest(
                url: url, headers: [PlatformHTTPHeader("Content-Type", "application/x-www-form-urlencoded")], body: body))
            guard case .answered(let refusal) = unsigned else {
                Issue.record("expected an answer, got \(unsigned)")
                return
            }
            #expect(refusal.status == 400)
            let signed = await transport.perform(PlatformHTTPRequest(
                url: url, headers: PlatformTestKit.signedHeaders(simulator, body: body), body: body))
            guard case .ambiguous(let failure) = signed else {
                Issue.record("expected ambiguous, got \(signed)")
                return
            }
            #expect([.emptyReply, .connectionLost].contains(failure.reason))
            let records = await simulator.records()
            #expect(records.map(\.auth) == ["E000001", "ok"], "the signed request must reach the platform exactly once")
        }
    }

    @Test func refusedConnectionIsNotSent() async throws {
        let simulator = try await PlatformSimulator.start()
        let endpoint = simulator.endpoint
        await simulator.shutdown()
        let client = try PlatformTestKit.client(endpoint)
        defer { client.shutdown() }
        let result = try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1)))
        guard case .notSent(let failure) = result else {
            Issue.record("expected notSent, got \(result)")
            return
        }
        #expect(failure.reason == .connectFailure)
        #expect(failure.curlCode == 7)
    }

    @Test func unresolvableHostIsNotSent() async throws {
        let client = try PlatformTestKit.client("http://groupsms-no-such-host.invalid:9")
        defer { client.shutdown() }
        let result = try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1)))
        guard case .notSent(let failure) = result else {
            Issue.record("expected notSent, got \(result)")
            return
        }
        #expect(failure.reason == .dnsFailure)
    }

    @Test func stallPastTheTimeoutIsAmbiguous() async throws {
        try await PlatformTestKit.withSimulator({ $0.stallFraction = 1; $0.stallSeconds = 5 }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint, requestTimeout: 0.3)
            defer { client.shutdown() }
            let result = try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1)))
            guard case .ambiguous(let failure) = result else {
                Issue.record("expected ambiguous, got \(result)")
                return
            }
            #expect(failure.reason == .timeout)
            // The simulator logs a request once it has read it; on a busy machine that can be
            // after the client gave up, so wait for the record (bounded) before checking it.
            var record = await simulator.records().first
            for _ in 0..<50 where record == nil {
                try await Task.sleep(nanoseconds: 100_000_000)
                record = await simulator.records().first
            }
            #expect(record?.fault == "stall", "the simulator logged no stalled request within 5 s")
        }
    }

    @Test func cancellingAWaitingSendEndsItAsAmbiguous() async throws {
        try await PlatformTestKit.withSimulator({ $0.stallFraction = 1; $0.stallSeconds = 5 }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint, requestTimeout: 10)
            defer { client.shutdown() }
            let task = Task { try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1))) }
            try await PlatformTestKit.waitUntil("the simulator has read the request") { await !simulator.records().isEmpty }
            task.cancel()
            let result = try await task.value
            guard case .ambiguous(let failure) = result else {
                Issue.record("expected ambiguous, got \(result)")
                return
            }
            #expect(failure.reason == .cancelled)
        }
    }

    @Test func invalidEndpointIsRefused() {
        #expect(throws: PlatformError.invalidEndpoint("smsapi.example.com")) {
            _ = try PlatformTestKit.client("smsapi.example.com")
        }
    }
}
