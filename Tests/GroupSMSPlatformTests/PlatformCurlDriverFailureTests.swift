import Foundation
@testable import GroupSMSPlatform
import GroupSMSSimulator
import Synchronization
import Testing

/// Which call of the multi handle an injected failure hits.
enum MultiCall: String, Sendable, CaseIterable {
    case perform
    case poll
}

/// A real multi handle whose `perform` or `poll` fails once armed, as libcurl's do when the
/// handle is broken (CURLM_UNRECOVERABLE_POLL, out of memory), and which counts the calls the
/// driver still makes afterwards.
final class FaultyMulti: CurlMulti {
    private struct Fault {
        var armed: MultiCall?
        var fired = false
        var callsAfterFailure = 0
    }

    private let real: CurlMultiHandle
    private let fault = Mutex(Fault())

    init() throws {
        real = try CurlMultiHandle(maxConnectionsPerHost: 4)
    }

    /// Makes the next call of `call` fail.
    func arm(_ call: MultiCall) { fault.withLock { $0.armed = call } }

    /// Calls of `perform` or `poll` after the failure (a busy driver would keep calling).
    var callsAfterFailure: Int { fault.withLock { $0.callsAfterFailure } }

    func add(_ easy: CurlEasyHandle) throws(PlatformError) { try real.add(easy) }
    func remove(_ easy: CurlEasyHandle) -> Bool { real.remove(easy) }
    func wakeup() { real.wakeup() }
    func nextFinished() -> (easy: UnsafeMutableRawPointer, rawCode: Int)? { real.nextFinished() }

    func perform() throws(CurlMultiFailure) {
        try check(.perform)
        try real.perform()
    }

    func poll(timeoutMs: Int32) throws(CurlMultiFailure) {
        try check(.poll)
        try real.poll(timeoutMs: timeoutMs)
        try check(.poll)
    }

    private func check(_ call: MultiCall) throws(CurlMultiFailure) {
        let fire = fault.withLock { state -> Bool in
            if state.fired {
                state.callsAfterFailure += 1
                return false
            }
            guard state.armed == call else { return false }
            state.fired = true
            return true
        }
        if fire { throw CurlMultiFailure(operation: "curl_multi_\(call.rawValue)", code: 11, message: "injected") }
    }
}

@Suite("Platform transport: a failing multi handle")
struct PlatformCurlDriverFailureTests {
    static func exchange(_ driver: CurlMultiDriver, _ request: PlatformHTTPRequest) async -> PlatformHTTPExchange {
        await withCheckedContinuation { driver.submit(request, id: driver.makeID(), continuation: $0) }
    }

    static func signedRequest(_ simulator: PlatformSimulator) -> PlatformHTTPRequest {
        let body = Array(PlatformFormEncoding.body([("from", "8824000000001"), ("to", "+8613100000001"),
                                                    ("templateId", "tmpl0001")]).utf8)
        return PlatformHTTPRequest(url: simulator.endpoint + "/sms/batchSendSms/v1",
                                   headers: PlatformTestKit.signedHeaders(simulator, body: body), body: body)
    }

    /// The refusal of every later request, naming the failure, and no further call on the handle.
    static func expectStopped(_ driver: CurlMultiDriver, _ multi: FaultyMulti, _ request: PlatformHTTPRequest,
                              failing call: MultiCall) async {
        let later = await exchange(driver, request)
        guard case .notSent(let failure) = later else {
            Issue.record("expected the stopped transport to refuse, got \(later)")
            return
        }
        #expect(failure.reason == .shutDown && failure.message.contains("curl_multi_\(call.rawValue) returned 11"))
        #expect(multi.callsAfterFailure == 0, "the driver called the failed handle again")
    }

    @Test("a failing perform before the body left: the request is not sent, and the driver stops")
    func performFailsBeforeSending() async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let multi = try FaultyMulti()
            let driver = try CurlMultiDriver(options: PlatformTransportOptions(connectTimeout: 1, requestTimeout: 3),
                                             multi: multi)
            defer { driver.stop() }
            multi.arm(.perform)
            let result = await Self.exchange(driver, Self.signedRequest(simulator))
            // The injected failure hits the first perform: with the request just added (other,
            // nothing sent yet) or, when the driver woke on its own first, before it (refused).
            guard case .notSent(let failure) = result else {
                Issue.record("expected notSent, got \(result)")
                return
            }
            #expect([.other, .shutDown].contains(failure.reason))
            #expect(failure.message.contains("curl_multi_perform returned 11 (injected)"))
            #expect(await simulator.records().isEmpty, "nothing reached the platform")
            await Self.expectStopped(driver, multi, Self.signedRequest(simulator), failing: .perform)
        }
    }

    @Test("a failing poll after the body left: the request is ambiguous, and the driver stops")
    func pollFailsWhileWaitingForTheAnswer() async throws {
        try await PlatformTestKit.withSimulator({ $0.stallFraction = 1; $0.stallSeconds = 5 }) { simulator in
            let multi = try FaultyMulti()
            let driver = try CurlMultiDriver(options: PlatformTransportOptions(connectTimeout: 1, requestTimeout: 10),
                                             multi: multi)
            defer { driver.stop() }
            let request = Self.signedRequest(simulator)
            let waiting = Task { await Self.exchange(driver, request) }
            try await PlatformTestKit.waitUntil("the simulator has read the request") { await !simulator.records().isEmpty }
            multi.arm(.poll)
            multi.wakeup()
            let result = await waiting.value
            guard case .ambiguous(let failure) = result else {
                Issue.record("expected ambiguous, got \(result)")
                return
            }
            #expect(failure.reason == .other && failure.message.contains("curl_multi_poll returned 11 (injected)"))
            await Self.expectStopped(driver, multi, request, failing: .poll)
        }
    }
}
