import Foundation
import GroupSMSPlatform
import GroupSMSSimulator
import GroupSMSTestSupport
import Testing

@Suite("Platform client against the simulator")
struct PlatformClientSimulatorTests {
    @Test(arguments: PlatformAuthScheme.allCases)
    func successWithEachAuthScheme(scheme: PlatformAuthScheme) async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint, scheme: scheme)
            defer { client.shutdown() }
            let numbers = PlatformTestKit.numbers(3)
            let answer = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(numbers)))
            #expect(answer.httpStatus == 200)
            #expect(answer.code == "000000")
            #expect(answer.outcome == .success)
            #expect(answer.results.map(\.originTo) == numbers)
            #expect(answer.results.allSatisfy { $0.isAccepted && !$0.smsMsgId.isEmpty && $0.from == "8824000000001" })
            #expect(Set(answer.results.map(\.smsMsgId)).count == 3)
            let records = await simulator.records()
            #expect(records.count == 1)
            #expect(records.first?.auth == "ok")
            #expect(records.first?.smsMsgIds == answer.results.map(\.smsMsgId))
        }
    }

    @Test func diffRequestSendsEveryGroup() async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint, scheme: .wsse)
            defer { client.shutdown() }
            let request = PlatformDiffSendRequest(from: "8824000000001", smsContent: [
                PlatformSmsContent(to: PlatformTestKit.numbers(2), templateId: "tmplA", templateParas: ["1"]),
                PlatformSmsContent(to: PlatformTestKit.numbers(1, start: 10), templateId: "tmplB"),
            ])
            let answer = try PlatformTestKit.answer(try await client.send(request))
            #expect(answer.outcome == .success)
            #expect(answer.results.map(\.originTo) == PlatformTestKit.numbers(2) + PlatformTestKit.numbers(1, start: 10))
            #expect(await simulator.records().first?.endpoint == "batchSendDiffSms")
        }
    }

    @Test func manyRequestsInFlightShareOneTransport() async throws {
        try await PlatformTestKit.withSimulator({ $0.latency = 0.02...0.05 }) { simulator in
            // 24 requests queue for the transport at once; on a loaded 2-core machine the last
            // ones spent the 3 s default before leaving (a CI run saw 86 ms left), so 10 s.
            let client = try PlatformTestKit.client(simulator.endpoint, requestTimeout: 10)
            defer { client.shutdown() }
            let outcomes = try await withThrowingTaskGroup(of: PlatformOutcome.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(50, start: index * 50)))).outcome
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes == Array(repeating: .success, count: 24))
            let records = await simulator.records()
            #expect(records.count == 24)
            #expect(Set(records.flatMap(\.numbers)).count == 1200)
        }
    }

    @Test func moreThan500NumbersFailTheWholeRequest() async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint)
            defer { client.shutdown() }
            await #expect(throws: PlatformError.invalidRequest(rule: .tooManyNumbers, detail: "501 numbers")) {
                _ = try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(501)))
            }
            // The platform refuses it too when a client does not check.
            let body = Array(PlatformFormEncoding.body([("from", "8824000000001"), ("to", PlatformTestKit.numbers(501).joined(separator: ",")),
                                                        ("templateId", "tmpl0001")]).utf8)
            let answer = try await PlatformTestKit.rawPost(simulator, headers: PlatformTestKit.signedHeaders(simulator, body: body), body: body)
            #expect(answer.code == "E000503")
            #expect(answer.outcome == .rejected)
            #expect(answer.results.isEmpty)
            #expect(await simulator.records().first?.acceptedNumbers == [])
        }
    }

    @Test func badCharactersFailTheWholeRequest() async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint)
            defer { client.shutdown() }
            await #expect(throws: PlatformError.self) {
                _ = try await client.send(PlatformTestKit.request(["+8613100000001", "+86 131 0000 0002"]))
            }
            let body = Array(PlatformFormEncoding.body([("from", "8824000000001"), ("to", "+8613100000001,+86131-00000002"),
                                                        ("templateId", "tmpl0001")]).utf8)
            let answer = try await PlatformTestKit.rawPost(simulator, headers: PlatformTestKit.signedHeaders(simulator, body: body), body: body)
            #expect(answer.code == "E000503")
            #expect(answer.outcome == .rejected)
            #expect(await simulator.records().count == 1)
            #expect(await simulator.records().first?.statuses == [])
        }
    }

    @Test func repeatsWithinARequestGetE200041() async throws {
        try await PlatformTestKit.withSimulator { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint)
            defer { client.shutdown() }
            let numbers = ["+8613100000001", "+8613100000002", "+8613100000001"]
            let answer = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(numbers)))
            #expect(answer.code == "E000510")
            #expect(answer.outcome == .perNumber)
            #expect(answer.results.map(\.status) == ["000000", "000000", "E200041"])
            #expect(PlatformCodeCatalogue.apiEntry(for: answer.results[2].status)?.codeClass == .duplicate)
            #expect(await simulator.records().first?.acceptedNumbers == ["+8613100000001", "+8613100000002"])
        }
    }

    @Test func incomingRateAboveMaxRateGetsE200015() async throws {
        let clock = ManualWallClock()
        try await PlatformTestKit.withSimulator(clock: clock, { $0.maxRate = 5 }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint, clock: clock)
            defer { client.shutdown() }
            let first = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(3))))
            #expect(first.outcome == .success)
            clock.advance(by: 0.5)
            let second = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(3, start: 3))))
            #expect(second.outcome == .backOff(seconds: 600))
            #expect(second.code == "E000510")
            #expect(second.results.allSatisfy { $0.status == "E200015" })
            clock.advance(by: 0.5)
            let third = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(3, start: 3))))
            #expect(third.outcome == .success)
        }
    }

    @Test func accountSendLimitsGetE000623() async throws {
        let clock = ManualWallClock()
        try await PlatformTestKit.withSimulator(clock: clock, { $0.dailyLimit = 4; $0.monthlyLimit = 6 }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint, clock: clock)
            defer { client.shutdown() }
            #expect(try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(3)))).outcome == .success)
            let overDay = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(2, start: 3))))
            #expect(overDay.code == "E000623")
            #expect(overDay.outcome == .pause)
            clock.advance(by: 24 * 3600)
            #expect(try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(3, start: 3)))).outcome == .success)
            clock.advance(by: 24 * 3600)
            let overMonth = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(1, start: 6))))
            #expect(overMonth.code == "E000623")
            #expect(overMonth.outcome == .pause)
        }
    }

    @Test func serverErrorIsAmbiguous() async throws {
        try await PlatformTestKit.withSimulator({ $0.serverErrorFraction = 1 }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint)
            defer { client.shutdown() }
            let answer = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(2))))
            #expect(answer.httpStatus == 500)
            #expect(answer.outcome == .ambiguous("HTTP 500"))
            #expect(await simulator.records().first?.fault == "serverError")
            #expect(await simulator.records().first?.acceptedNumbers == [])
        }
    }

    @Test func logFileGetsOneJSONLinePerRequest() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("groupsms-sim-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await PlatformTestKit.withSimulator({ $0.logPath = path }) { simulator in
            let client = try PlatformTestKit.client(simulator.endpoint)
            defer { client.shutdown() }
            let answer = try PlatformTestKit.answer(try await client.send(PlatformTestKit.request(PlatformTestKit.numbers(2), extend: "job1-c1")))
            let wrong = try PlatformTestKit.client(simulator.endpoint, credentials: PlatformCredentials(appKey: "other", appSecret: "x"))
            defer { wrong.shutdown() }
            _ = try await wrong.send(PlatformTestKit.request(PlatformTestKit.numbers(1)))
            await simulator.shutdown()
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            let first = try JSONDecoder().decode(SimulatorRequestRecord.self, from: Data(lines[0].utf8))
            #expect(first.auth == "ok")
            #expect(first.numbers == PlatformTestKit.numbers(2))
            #expect(first.smsMsgIds == answer.results.map(\.smsMsgId))
            #expect(first.extend == "job1-c1")
            #expect(abs(first.receivedAt.timeIntervalSinceNow) < 60)
            let second = try JSONDecoder().decode(SimulatorRequestRecord.self, from: Data(lines[1].utf8))
            #expect(second.auth == "E000102")
        }
    }
}
