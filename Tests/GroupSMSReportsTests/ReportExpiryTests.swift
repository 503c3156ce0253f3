import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct ReportExpiryTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore
    let runner = StoreFixtures.remoteLease()

    init() throws {
        folder = try TemporaryDirectory(prefix: "expiry")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    @Test func numbersWithoutAReportExpireAtExactly72Hours() async throws {
        let numbers = StoreFixtures.numbers(4)
        let acceptedAt = clock.now()
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        _ = try await store.applyStatusReports([
            StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD"),
            StatusReport(smsMsgId: ids[numbers[1]]!, status: "ACCEPTD"),
            StatusReport(smsMsgId: ids[numbers[2]]!, status: "DELIVRD", total: 2, sequence: 1),
        ])
        clock.set(acceptedAt.addingTimeInterval(71 * 3600 + 59 * 60 + 59))
        #expect(try await store.expireOverdueReports() == 0)
        #expect(try await store.summary(of: job.id).awaitingReport == 3)
        clock.advance(by: 1)
        #expect(try await store.expireOverdueReports() == 3)
        #expect(try await store.expireOverdueReports() == 0, "nothing left to expire")
        let records = try await store.numbers(of: job.id)
        #expect(records.map(\.state) == [.delivered, .failed, .failed, .failed])
        #expect(records.dropFirst().allSatisfy {
            $0.code == "EXPIRED" && $0.failureClass == .retryable && $0.stage == .delivery
        })
        let summary = try await store.summary(of: job.id)
        #expect(summary.awaitingReport == 0)
        #expect(summary.failuresByClass == [.retryable: 3] && summary.failuresByReason == ["EXPIRED": 3])
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        #expect(json["failuresByClass"] as? [String: Int] == ["retryable": 3])
        #expect(json["awaitingReport"] as? Int == 0 && json["delivered"] as? Int == 1)
        #expect(try await store.events(of: job.id).contains { $0.kind == .expired && $0.message.hasPrefix("3 numbers") })
    }

    @Test func anExplicitNowIsUsedInsteadOfTheClock() async throws {
        let numbers = StoreFixtures.numbers(1)
        let acceptedAt = clock.now()
        let (job, _) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        #expect(try await store.expireOverdueReports(now: acceptedAt.addingTimeInterval(72 * 3600 - 0.001)) == 0)
        #expect(try await store.expireOverdueReports(now: acceptedAt.addingTimeInterval(72 * 3600)) == 1)
        #expect(try await store.numbers(of: job.id).first?.state == .failed)
    }

    @Test func aLateReportStillMovesAnExpiredNumberOn() async throws {
        let numbers = StoreFixtures.numbers(3)
        let (job, ids) = try await ReportFixtures.acceptedJob(store, numbers: numbers, runner: runner)
        clock.advance(by: 72 * 3600)
        #expect(try await store.expireOverdueReports() == 3)
        let summary = try await store.applyStatusReports([
            StatusReport(smsMsgId: ids[numbers[0]]!, status: "DELIVRD"),
            StatusReport(smsMsgId: ids[numbers[1]]!, status: "BLACK"),
            StatusReport(smsMsgId: ids[numbers[2]]!, status: "ACCEPTD"),
        ])
        #expect(summary.delivered == 1 && summary.failed == 1 && summary.applied == 3)
        let records = try await store.numbers(of: job.id)
        #expect(records.map(\.state) == [.delivered, .failed, .failed])
        #expect(records[1].code == "BLACK" && records[1].failureClass == .optedOut)
        #expect(records[2].code == "EXPIRED", "an interim status does not undo the expiry")
    }
}
