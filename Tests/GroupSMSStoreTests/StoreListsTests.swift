import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct StoreListsTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore

    init() throws {
        folder = try TemporaryDirectory(prefix: "lists")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    @Test func suppressionListAddRemoveListContains() async throws {
        #expect(try await store.suppress(["+8613900000002", "+8613900000001"], code: "MANUAL", reason: "asked to stop") == 2)
        clock.advance(by: 60)
        #expect(try await store.suppress(["+8613900000001", "+8613900000003"], code: "BLACK", reason: "blocklist",
                                         sourceJob: JobID(7)) == 1)
        let list = try await store.suppressionList()
        #expect(list.map(\.number) == ["+8613900000001", "+8613900000002", "+8613900000003"])
        #expect(list[0].code == "MANUAL", "the first entry is kept")
        #expect(list[2].sourceJob == JobID(7) && list[2].addedAt == clock.now())
        let among = try await store.suppressionEntries(among: ["+8613900000003", "+8613900000009"])
        #expect(Array(among.keys) == ["+8613900000003"])
        #expect(try await store.unsuppress(["+8613900000002", "+8613900000009"]) == 1)
        #expect(try await store.suppressionList().count == 2)
    }

    @Test func eventLogAppendsAndFollows() async throws {
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(2)))
        let created = try await store.events(of: job.id)
        #expect(created.map(\.kind) == [.created])
        #expect(created[0].message.contains("2 numbers"))
        try await store.appendEvent(to: job.id, kind: .warning, message: "rate lowered to 300")
        try await store.appendEvent(to: job.id, kind: JobEventKind(rawValue: "progress"), message: "500 sent")
        let newer = try await store.events(of: job.id, afterID: created[0].id)
        #expect(newer.map(\.message) == ["rate lowered to 300", "500 sent"])
        #expect(newer[1].kind.rawValue == "progress")
        await #expect(throws: StoreError.jobNotFound("job-42")) {
            try await store.appendEvent(to: JobID(42), kind: .info, message: "x")
        }
    }

    @Test func statusReportsAreStoredOnceEach() async throws {
        let parts = [
            StatusReport(smsMsgId: "m1", status: "DELIVRD", total: 2, sequence: 1, updateTime: "2026-12-01T00:00:05Z",
                         extend: "abcdj1c1", to: "+8613900000001"),
            StatusReport(smsMsgId: "m1", status: "DELIVRD", total: 2, sequence: 2, updateTime: "2026-12-01T00:00:06Z"),
            StatusReport(smsMsgId: "m2", status: "UNDELIV"),
        ]
        #expect(try await store.storeStatusReports(parts) == StatusReportIngest(stored: 3, duplicates: 0))
        // The platform retries a batch: nothing new is stored.
        #expect(try await store.storeStatusReports([parts[0], parts[2]]) == StatusReportIngest(stored: 0, duplicates: 2))
        // A later, different status for the same message is a new report.
        #expect(try await store.storeStatusReports([StatusReport(smsMsgId: "m2", status: "DELIVRD")]).stored == 1)
        let m1 = try await store.statusReports(forMessage: "m1")
        #expect(m1.map(\.report.sequence) == [1, 2])
        #expect(m1[0].report == parts[0])
        #expect(m1[0].receivedAt == clock.now())
        let unapplied = try await store.unappliedStatusReports()
        #expect(unapplied.count == 4)
        try await store.markStatusReportsApplied(unapplied.prefix(3).map(\.id))
        #expect(try await store.unappliedStatusReports().map(\.report.smsMsgId) == ["m2"])
    }
}

@Suite struct GroupCommitTests {
    @Test func concurrentReceiversAreCommittedTogetherAndEachGetsItsOwnCounts() async throws {
        let folder = try TemporaryDirectory(prefix: "reports")
        let store = try JobStore(dataDirectory: folder.path, clock: ManualWallClock())
        _ = try await store.storeStatusReports([StatusReport(smsMsgId: "seen", status: "DELIVRD")])
        let results = try await withThrowingTaskGroup(of: (Int, StatusReportIngest).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let id = index == 7 ? "seen" : "r\(index)"
                    return (index, try await store.receiveStatusReports([StatusReport(smsMsgId: id, status: "DELIVRD")]))
                }
            }
            return try await group.reduce(into: [Int: StatusReportIngest]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        #expect(results[7] == StatusReportIngest(stored: 0, duplicates: 1))
        #expect(results.filter { $0.key != 7 }.allSatisfy { $0.value == StatusReportIngest(stored: 1, duplicates: 0) })
        #expect(try await store.unappliedStatusReports(limit: 500).count == 200)
    }

    @Test func chunkTagsRoundTripAndForeignTagsAreRejected() {
        let tag = ChunkTag.make(instance: "k3x9", job: JobID(9_999_999_999), sequence: 2_147_483_647)
        #expect(tag.count <= 28)
        #expect(ChunkTag.parse(tag)?.job == JobID(9_999_999_999))
        #expect(ChunkTag.parse(tag)?.sequence == 2_147_483_647)
        for foreign in ["", "campaign-7", "k3x9j12", "k3x9jc3", "k3x9j1c", "k3x9j1cx", "k3x9x1c1"] {
            #expect(ChunkTag.parse(foreign) == nil, "\(foreign)")
        }
    }
}
