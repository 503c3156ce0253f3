import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSSimulator

/// Each fault: what the platform processed (records, reports) and what it answered.
@Suite("Simulator: faults")
struct SimulatorFaultTests {
    typealias Kit = SimulatorTestKit

    /// Runs `body` with reports on (due at once) to a fresh receiver.
    private func withReports(_ configure: @escaping (inout SimulatorConfiguration) -> Void,
                             _ body: (PlatformSimulator, SimulatorTestReceiver) async throws -> Void) async throws {
        try await SimulatorTestReceiver.with { receiver in
            try await Kit.withSimulator({
                $0.reports.enabled = true
                $0.reports.delay = 0
                configure(&$0)
            }) { simulator in try await body(simulator, receiver) }
        }
    }

    @Test func acceptThen502ProcessesTheRequestThenAnswersAGatewayPage() async throws {
        try await withReports({ $0.acceptThen502Fraction = 1 }) { simulator, receiver in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(2), callback: receiver.url))
            #expect(answer.status == 502 && answer.contentType.hasPrefix("text/html"))
            #expect(String(decoding: answer.body, as: UTF8.self).contains("<h1>502 Bad Gateway</h1>"))
            #expect(answer.json == nil)
            let record = try #require(await simulator.records().first)
            #expect(record.fault == "acceptThen502" && record.httpStatus == 502 && record.code == "")
            #expect(record.acceptedNumbers == Kit.numbers(2))
            // The numbers were sent: their reports come although the answer never said so.
            let posts = try await receiver.posts(atLeast: 2)
            #expect(Set(posts.compactMap { $0.form["smsMsgId"] }) == Set(record.smsMsgIds))
        }
    }

    @Test func acceptThenGatewayBodyProcessesThenAnswers200WithoutACode() async throws {
        try await withReports({ $0.acceptThenGatewayBodyFraction = 1 }) { simulator, receiver in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(1), callback: receiver.url))
            #expect(answer.status == 200)
            #expect(answer.json?["error_code"] as? String == "APIGW.0308")
            #expect(answer.json?["error_msg"] as? String == "The request is throttled")
            #expect(answer.code == nil && answer.json?["result"] == nil)
            let record = try #require(await simulator.records().first)
            #expect(record.fault == "acceptThenGatewayBody" && record.acceptedNumbers == Kit.numbers(1))
            #expect(try await receiver.posts(atLeast: 1).count == 1)
        }
    }

    @Test func unknownCodeProcessesThenAnswers200WithTheCode() async throws {
        try await Kit.withSimulator({ $0.unknownCodeFraction = 1; $0.unknownCode = "E999999" }) { simulator in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(3)))
            #expect(answer.status == 200 && answer.code == "E999999")
            #expect(answer.json?["result"] == nil)
            let record = try #require(await simulator.records().first)
            #expect(record.fault == "unknownCode" && record.code == "E999999" && record.acceptedNumbers == Kit.numbers(3))
        }
    }

    @Test(arguments: ["E200028", "E200029", "E200030", "E200031", "E200033"])
    func aWholeRequestStatusAnswersEveryNumberAndProcessesNothing(status: String) async throws {
        try await withReports({ $0.wholeRequestStatus = status; $0.faultFirstRequests = 1; $0.dailyLimit = 2 }) { simulator, receiver in
            let body = Kit.sendBody(Kit.numbers(2), callback: receiver.url)
            let refused = try await Kit.post(simulator, body: body)
            #expect(refused.status == 400 && refused.code == "E000510")
            #expect(refused.statuses == [status, status])
            #expect(refused.smsMsgIds.count == 2)
            // Nothing was spent: the daily budget of 2 still takes the same two numbers, and
            // only they get reports.
            let accepted = try await Kit.post(simulator, body: body)
            #expect(accepted.status == 200 && accepted.statuses == ["000000", "000000"])
            let posts = try await receiver.posts(atLeast: 2)
            #expect(Set(posts.compactMap { $0.form["smsMsgId"] }) == Set(accepted.smsMsgIds))
            let records = await simulator.records()
            #expect(records.map(\.fault) == ["wholeRequestStatus", nil])
            #expect(records[0].acceptedNumbers.isEmpty && records[0].statuses == [status, status])
        }
    }

    @Test func faultFirstRequestsLimitsFaultsToTheFirstN() async throws {
        try await Kit.withSimulator({ $0.serverErrorFraction = 1; $0.faultFirstRequests = 2 }) { simulator in
            var statuses: [Int] = []
            for index in 0..<4 {
                statuses.append(try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(1, start: index))).status)
            }
            #expect(statuses == [500, 500, 200, 200])
            #expect(await simulator.records().map(\.fault) == ["serverError", "serverError", nil, nil])
        }
    }

    @Test func fractionsAreDrawnWithTheSeed() async throws {
        func faults(seed: UInt64) async throws -> [String?] {
            try await Kit.withSimulator({
                $0.seed = seed
                $0.acceptThen502Fraction = 0.3
                $0.unknownCodeFraction = 0.3
            }) { simulator in
                for index in 0..<12 { _ = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(1, start: index))) }
                return await simulator.records().map(\.fault)
            }
        }
        let first = try await faults(seed: 7)
        #expect(try await faults(seed: 7) == first)
        #expect(first.contains("acceptThen502") && first.contains("unknownCode") && first.contains(nil))
    }
}
