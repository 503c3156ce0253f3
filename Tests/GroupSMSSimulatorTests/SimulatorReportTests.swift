import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSSimulator

/// Report bodies, routing, statuses and multi-part messages, read back with Foundation.
@Suite("Simulator: status reports")
struct SimulatorReportTests {
    typealias Kit = SimulatorTestKit

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

    @Test func singleFormBodyFollowsTheReferenceExample() {
        let report = SimulatorStatusReport(smsMsgId: "b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6", status: "DELIVRD", total: 1,
                                           sequence: 1, source: "2", updateTime: "2018-04-13T06:31:46Z", orgCode: "000")
        #expect(report.formBody() == "sequence=1&total=1&orgCode=000&updateTime=2018-04-13T06%3A31%3A46Z&source=2"
            + "&smsMsgId=b9d9b4fe-ad0e-4a2a-a2c7-445505b674ac_6&status=DELIVRD")
        var tagged = report
        tagged.orgCode = nil
        (tagged.extend, tagged.to) = ("job1-c2", "+8613100000001")
        #expect(tagged.formBody().hasSuffix("&status=DELIVRD&extend=job1-c2&to=%2B8613100000001"))
    }

    @Test func batchBodyWritesEveryValueAsAString() throws {
        let report = SimulatorStatusReport(smsMsgId: "id\"1", status: "MN:000123", total: 2, sequence: 1, source: "2",
                                           updateTime: "2023-04-18T07:26:00Z")
        let object = try JSONSerialization.jsonObject(with: Data(SimulatorStatusReport.batchBody([report]))) as? [String: Any]
        let entries = try #require(object?["statusReportList"] as? [[String: String]])
        #expect(entries == [["sequence": "1", "total": "2", "updateTime": "2023-04-18T07:26:00Z", "source": "2",
                             "smsMsgId": "id\"1", "status": "MN:000123"]])
    }

    @Test func longStatusesUpTo32CharactersArePushedAsConfigured() async throws {
        let long = "SB:" + String(repeating: "9", count: 29)
        #expect(long.count == 32)
        try await withReports({ $0.reports.statusBySuffix = ["1": "MN:000123", "2": long] }) { simulator, receiver in
            let numbers = ["+8613100000001", "+8613100000002", "+8613100000003"]
            _ = try await Kit.post(simulator, body: Kit.sendBody(numbers, callback: receiver.url))
            let byNumber = try await Self.singleReports(receiver, count: 3, simulator: simulator)
            #expect(byNumber[numbers[0]]?["status"] == "MN:000123")
            #expect(byNumber[numbers[1]]?["status"] == long)
            #expect(byNumber[numbers[2]]?["status"] == "DELIVRD")
            #expect(byNumber[numbers[0]]?["source"] == "2" && byNumber[numbers[2]]?["orgCode"] == nil)
        }
    }

    @Test func multiPartMessagesGetOneReportPerPart() async throws {
        try await withReports({ $0.reports.segmentsPerMessage = 3 }) { simulator, receiver in
            let answer = try await Kit.post(simulator, body: Kit.sendBody(["+447700900123"], callback: receiver.url))
            let posts = try await receiver.posts(atLeast: 3)
            #expect(posts.count == 3)
            let reports = posts.map(\.form).sorted { ($0["sequence"] ?? "") < ($1["sequence"] ?? "") }
            #expect(reports.map { $0["sequence"] } == ["1", "2", "3"])
            #expect(reports.allSatisfy { $0["total"] == "3" && $0["status"] == "DELIVRD" && $0["orgCode"] == "000" })
            #expect(Set(reports.compactMap { $0["smsMsgId"] }) == Set(answer.smsMsgIds))
        }
    }

    @Test func aFailingPartFailsWhileTheOtherPartsAreDelivered() async throws {
        try await SimulatorTestReceiver.with { console in
            try await Kit.withSimulator({
                $0.reports.enabled = true
                $0.reports.delay = 0
                $0.reports.consoleCallbackURL = console.url
                $0.reports.segmentsPerMessage = 2
                $0.reports.failingPart = SimulatorFailingPart(sequence: 2, status: "UNDELIV")
                $0.reports.statusBySuffix = ["9": "BLACK"]
            }) { simulator in
                let numbers = ["+8613100000001", "+8613100000009"]
                let answer = try await Kit.post(simulator, body: Kit.sendBody(numbers))
                let entries = try await console.posts(atLeast: 1).flatMap(\.batch)
                #expect(entries.count == 4)
                func statuses(_ id: String) -> [String] {
                    entries.filter { $0["smsMsgId"] as? String == id }
                        .sorted { ($0["sequence"] as? String ?? "") < ($1["sequence"] as? String ?? "") }
                        .compactMap { $0["status"] as? String }
                }
                #expect(statuses(answer.smsMsgIds[0]) == ["DELIVRD", "UNDELIV"])
                // A message that failed as a whole fails in every part.
                #expect(statuses(answer.smsMsgIds[1]) == ["BLACK", "BLACK"])
                #expect(entries.allSatisfy { $0["total"] as? String == "2" })
            }
        }
    }

    @Test func countedPartsFollowTheRegisteredTextsSegments() async throws {
        try await SimulatorTestReceiver.with { console in
            try await Kit.withSimulator({
                $0.reports.enabled = true
                $0.reports.delay = 0
                $0.reports.consoleCallbackURL = console.url
                $0.reports.segmentsPerMessage = nil
                $0.templates = try! SimulatedTemplateRegistry(options: ["long=" + String(repeating: "a", count: 150) + " ${TXT_20}"])
            }) { simulator in
                // 150 + 1 + 20 = 171 GSM-7 characters: 2 parts.
                let answer = try await Kit.post(simulator, body: Kit.sendBody(["+447700900123"], templateId: "long",
                                                                                paras: #"["abcdefghijklmnopqrst"]"#))
                #expect(answer.statuses == ["000000"])
                let entries = try await console.posts(atLeast: 1).flatMap(\.batch)
                #expect(entries.compactMap { $0["sequence"] as? String }.sorted() == ["1", "2"])
                #expect(entries.allSatisfy { $0["total"] as? String == "2" })
                #expect(await simulator.records().first?.segments == [2])
            }
        }
    }

    @Test func consoleBatchesHoldAtMost50Reports() async throws {
        try await SimulatorTestReceiver.with { console in
            try await Kit.withSimulator({
                $0.reports.enabled = true
                $0.reports.delay = 0
                $0.reports.consoleCallbackURL = console.url
                $0.reports.batchSize = 500
            }) { simulator in
                let answer = try await Kit.post(simulator, body: Kit.sendBody(Kit.numbers(120), extend: "c1"))
                let posts = try await console.posts(atLeast: 3)
                #expect(posts.map(\.batch.count) == [50, 50, 20])
                #expect(posts.allSatisfy { $0.contentType.hasPrefix("application/json") })
                let entries = posts.flatMap(\.batch)
                #expect(Set(entries.compactMap { $0["smsMsgId"] as? String }) == Set(answer.smsMsgIds))
                #expect(entries.allSatisfy { $0["extend"] as? String == "c1" && ($0["to"] as? String)?.hasPrefix("+86") == true })
                // The receiver keeps a post before answering it; wait for the simulator to read the answers.
                try await Kit.waitUntil("the simulator counted 3 posts") { simulator.reportPosts.posts == 3 }
                #expect(simulator.reportPosts == (posts: 3, answered200: 3, failed: 0))
            }
        }
    }

    /// The single reports received, by number (matched through the records' message ids).
    private static func singleReports(_ receiver: SimulatorTestReceiver, count: Int,
                                      simulator: PlatformSimulator) async throws -> [String: [String: String]] {
        let posts = try await receiver.posts(atLeast: count)
        let records = await simulator.records()
        var numberByID: [String: String] = [:]
        for record in records { for (number, id) in zip(record.numbers, record.smsMsgIds) { numberByID[id] = number } }
        var out: [String: [String: String]] = [:]
        for post in posts {
            let form = post.form
            if let id = form["smsMsgId"], let number = numberByID[id] { out[number] = form }
        }
        return out
    }
}
