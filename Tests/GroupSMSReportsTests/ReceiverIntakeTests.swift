import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
@testable import GroupSMSReports

/// What the receiver does with what it reads: malformed entries counted and kept raw beside the
/// well-formed ones it applies, control characters refused, unknown ids held under a cap.
@Suite struct ReceiverIntakeTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()
    static let success = #"{"returnCode":0,"returnCodeDesc":"Success"}"#

    init() throws {
        folder = try TemporaryDirectory(prefix: "receiver-intake")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    private var malformedFile: String { folder.path + "/reports-malformed/20261201.jsonl" }

    private func malformedLines() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: malformedFile, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func aBatchOfFiftyWithOneMalformedEntryApplies49AndKeepsTheOneRaw() async throws {
        let numbers = StoreFixtures.numbers(49)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        var entries = numbers.map { #"{"smsMsgId":"\#(ids[$0]!)","status":"DELIVRD"}"# }
        entries.insert(#"{"smsMsgId":17,"status":"DELIVRD"}"#, at: 24)
        let body = #"{"statusReportList":["# + entries.joined(separator: ",") + "]}"
        let http = try await ReceiverHarness.start(store: store)
        let answer = try await http.post(Array(body.utf8), contentType: "application/json")
        let counters = http.receiver.counters()
        let log = http.logLines.all
        await http.stop()
        #expect(answer.status == 200 && answer.body == Self.success)
        #expect(counters.received == 49 && counters.applied == 49 && counters.malformed == 1 && counters.delivered == 49)
        #expect(try await store.summary(of: job.id).count(.delivered) == 49)
        #expect(try await store.statusReportIntakeCounts().malformed == 1)
        let lines = try malformedLines()
        #expect(lines.count == 1)
        #expect(lines.first?["entry"] as? Int == 25 && lines.first?["format"] as? String == "batch")
        #expect(lines.first?["raw"] as? String == #"{"smsMsgId":17,"status":"DELIVRD"}"#)
        #expect(lines.first?["at"] as? String == "2026-12-01T00:00:00.000Z")
        #expect((lines.first?["reason"] as? String)?.contains("smsMsgId is the number 17") == true)
        #expect(log.count == 1 && log[0].contains("1 malformed report entry") && log[0].contains(malformedFile))
        let intake = try #require(try await StatusReportIntakeText.line(store: store))
        #expect(intake == "Status reports in this data dir: 1 malformed entry, kept raw in "
                + "\(folder.path)/reports-malformed\n")
    }

    @Test func aReportWithESCInItsMessageIDIsMalformedAndNeverReachesTheStoreOrTheLog() async throws {
        let http = try await ReceiverHarness.start(store: store)
        let form = try await http.post(Array("smsMsgId=m%1B%5B2J%1B%5D0%3Bowned%07&status=DELIVRD".utf8),
                                       contentType: "application/x-www-form-urlencoded")
        let batch = try await http.post(Array(#"{"statusReportList":[{"smsMsgId":"m\u001b[31m","status":"DELIVRD"}]}"#.utf8),
                                        contentType: "application/json")
        let counters = http.receiver.counters()
        let log = http.logLines.all
        await http.stop()
        #expect(form.status == 200 && batch.status == 200)
        #expect(counters.malformed == 2 && counters.received == 0 && counters.unknown == 0)
        #expect(try await store.statusReportIntakeCounts() == {
            var counts = StatusReportIntakeCounts()
            counts.malformed = 2
            return counts
        }())
        #expect(log.count == 2 && log.allSatisfy { $0.contains("U+001B") && !$0.unicodeScalars.contains("\u{1B}") })
        let file = try Data(contentsOf: URL(fileURLWithPath: malformedFile))
        #expect(!file.contains(0x1B) && !file.contains(0x07), "the kept raw text stays escaped")
        #expect(try malformedLines().map { $0["raw"] as? String } == [
            "smsMsgId=m%1B%5B2J%1B%5D0%3Bowned%07&status=DELIVRD", #"{"smsMsgId":"m\u001b[31m","status":"DELIVRD"}"#,
        ])
    }

    @Test func unknownIDReportsBeyondTheCapDropTheOldest() async throws {
        var options = StatusReportReceiverOptions()
        options.heldReports = HeldReportLimit(count: 5, maximumAge: .seconds(3600))
        let http = try await ReceiverHarness.start(store: store, options: options)
        let first = (1...8).map { StatusReport(smsMsgId: "stranger-\($0)", status: "DELIVRD") }
        #expect(try await http.postBatch(first).status == 200)
        var counts = try await store.statusReportIntakeCounts()
        #expect(counts.unknownReceived == 8 && counts.held == 5 && counts.droppedHeld == 3)
        #expect(try await store.statusReports(forMessage: "stranger-3").isEmpty)
        #expect(try await store.statusReports(forMessage: "stranger-4").count == 1)
        // Two hours on, a new unknown report: every held one older than the hour goes.
        clock.advance(by: 7200)
        #expect(try await http.postForm(["smsMsgId": "stranger-9", "status": "UNDELIV"]).status == 200)
        await http.stop()
        counts = try await store.statusReportIntakeCounts()
        #expect(counts.unknownReceived == 9 && counts.held == 1 && counts.droppedHeld == 8)
        #expect(try await store.statusReports(forMessage: "stranger-9").count == 1)
        let events = try await store.dataDirEvents().map(\.message)
        #expect(events.contains { $0.hasPrefix("dropped the 3 oldest held status reports for unknown message ids (at most 5") })
        #expect(events.contains { $0.hasPrefix("dropped the 5 oldest held status reports") })
        let intake = try #require(try await StatusReportIntakeText.line(store: store))
        #expect(intake.contains("9 for unknown message ids (1 held, 8 dropped by the cap)"))
    }
}
