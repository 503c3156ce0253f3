import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

@Suite struct JobCreationTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore

    init() throws {
        folder = try TemporaryDirectory(prefix: "create")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    @Test func storesTheJobAndEveryNumberInFirstSeenOrder() async throws {
        let numbers = StoreFixtures.numbers(1200)
        let start = clock.now().addingTimeInterval(3600)
        let job = try await store.createJob(StoreFixtures.draft(numbers, name: "december", scheduledAt: start))
        #expect(job.id == JobID(1))
        #expect(job.state == .scheduled)
        #expect(job.scheduledAt == start)
        #expect(job.createdAt == clock.now())
        #expect(job.params == ["a"])
        #expect(job.signature == "sig")
        #expect(job.contentKey == ContentKey.make(templateID: "tmpl-1", params: ["a"], signature: "sig"))
        #expect(job.runner == nil)
        let summary = try await store.summary(of: job.id)
        #expect(summary.total == 1200)
        #expect(summary.count(.pending) == 1200)
        let page = try await store.numbers(of: job.id, limit: 1000)
        #expect(page.map(\.e164) == Array(numbers.prefix(1000)))
        #expect(page[5].cell == "A7")
        #expect(page[5].sourceFile == "recipients.xlsx")
        let rest = try await store.numbers(of: job.id, afterPosition: page.last!.position)
        #expect(rest.map(\.e164) == Array(numbers.dropFirst(1000)))
        let second = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(3)))
        #expect(second.id.description == "job-2")
        #expect(try await store.events(of: job.id).first?.kind == .created)
    }

    @Test func suppressedAndInvalidEntriesAreStoredAsFailures() async throws {
        let numbers = StoreFixtures.numbers(10)
        try await store.suppress([numbers[3], "+447700900123"], code: "BLACK", reason: "blocklist")
        let rejected = [RejectedEntryDraft(fileIndex: 0, cell: "A40", original: "12ab", description: "letters in the number")]
        let job = try await store.createJob(StoreFixtures.draft(numbers, rejected: rejected))
        let summary = try await store.summary(of: job.id)
        #expect(summary.total == 11)
        #expect(summary.count(.pending) == 9)
        #expect(summary.count(.failed) == 2)
        #expect(summary.failuresByReason == ["SUPPRESSED": 1, "INVALID_NUMBER": 1])
        let failed = try await store.numbers(of: job.id, states: [.failed])
        #expect(failed.map(\.failureClass) == [.optedOut, .invalid])
        #expect(failed.map(\.stage) == [.local, .import])
        #expect(failed[1].original == "12ab")
        #expect(failed[1].e164 == nil)
        #expect(failed[1].cell == "A40")
        #expect(failed[0].description?.contains("BLACK") == true)
    }

    @Test func refusesDuplicatesAndNonE164NumbersAndStoresNothing() async throws {
        await #expect(throws: StoreError.self) {
            try await store.createJob(StoreFixtures.draft(["+8613900000001", "+8613900000001"]))
        }
        await #expect(throws: StoreError.self) { try await store.createJob(StoreFixtures.draft(["13900000001"])) }
        await #expect(throws: StoreError.self) { try await store.createJob(StoreFixtures.draft(["+86 139"])) }
        var draft = StoreFixtures.draft(StoreFixtures.numbers(2))
        draft.rate = 501
        await #expect(throws: StoreError.self) { try await store.createJob(draft) }
        draft.rate = 500
        draft.numbers[0].fileIndex = 3
        await #expect(throws: StoreError.self) { try await store.createJob(draft) }
        draft.numbers[0].fileIndex = 0
        draft.endpoint = "https://appkey:secret@sms.example.com:443"
        await #expect(throws: StoreError.self) { try await store.createJob(draft) }
        #expect(try await store.summaries().isEmpty)
    }

    @Test func aForegroundJobIsCreatedRunningUnderItsRunner() async throws {
        let lease = StoreFixtures.remoteLease()
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(5)), runner: lease)
        #expect(job.state == .running)
        #expect(job.startedAt == clock.now())
        #expect(job.runner?.token == lease.token)
        #expect(job.scheduledAt == clock.now())
    }

    @Test func showJSONHasTheContractFields() async throws {
        let job = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(4), name: "n"))
        let data = try JSONEncoder().encode(try await store.summary(of: job.id))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["id", "name", "state", "scheduledAt", "startedAt", "finishedAt", "total", "accepted", "delivered",
                    "failed", "deferred", "unconfirmed", "pending", "failuresByReason"] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        #expect(object["id"] as? String == "job-1")
        #expect(object["state"] as? String == "scheduled")
        #expect(object["scheduledAt"] as? String == "2026-12-01T00:00:00Z")
        #expect(object["startedAt"] is NSNull)
        #expect(object["total"] as? Int == 4)
        #expect(object["pending"] as? Int == 4)
        #expect((object["failuresByReason"] as? [String: Int])?.isEmpty == true)
    }

    @Test func jobIDsParseAsUsersTypeThem() {
        #expect(JobID(parsing: "job-12") == JobID(12))
        #expect(JobID(parsing: "JOB-12") == JobID(12))
        #expect(JobID(parsing: "12") == JobID(12))
        #expect(JobID(parsing: "job-") == nil)
        #expect(JobID(parsing: "job-0") == nil)
        #expect(JobID(parsing: "j12") == nil)
    }
}
