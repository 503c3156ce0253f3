import Foundation
import Testing
@testable import GroupSMSModel
@testable import GroupSMSStore
import GroupSMSTestSupport

/// Schema 5: the template catalogue and each job's estimate.
@Suite struct TemplateCatalogueStoreTests {
    let folder: TemporaryDirectory
    let clock = ManualWallClock()
    let store: JobStore

    init() throws {
        folder = try TemporaryDirectory(prefix: "catalogue")
        store = try JobStore(dataDirectory: folder.path, clock: clock)
    }

    private func template(_ id: String, text: String = "Code ${NUM_6}", signature: String? = "Acme") throws -> MessageTemplate {
        try MessageTemplate(id: id, text: text, kind: .verification, region: .mainland,
                            signature: signature.map { try SignatureName($0) }, name: "name \(id)")
    }

    @Test func addListGetRemove() async throws {
        try await store.addTemplate(try template("B"))
        clock.advance(by: 5)
        try await store.addTemplate(try template("A", signature: nil))
        let all = try await store.templates()
        #expect(all.map(\.template.id) == ["A", "B"])
        #expect(all[0].addedAt == clock.now() && all[0].template.signature == nil)
        #expect(try await store.template(id: "B")?.template == (try template("B")))
        #expect(try await store.template(id: "C") == nil)
        #expect(try await store.removeTemplate(id: "B"))
        #expect(try await !store.removeTemplate(id: "B"))
        #expect(try await store.templates().map(\.template.id) == ["A"])
    }

    @Test func anIDAlreadyThereIsRefusedUnlessReplaced() async throws {
        try await store.addTemplate(try template("A"))
        await #expect(throws: StoreError.self) { try await store.addTemplate(try template("A", text: "New ${TXT_3}")) }
        #expect(try await store.template(id: "A")?.template.text.source == "Code ${NUM_6}")
        try await store.addTemplate(try template("A", text: "New ${TXT_3}"), replace: true)
        #expect(try await store.template(id: "A")?.template.text.source == "New ${TXT_3}")
    }

    @Test func theEstimateIsStoredWithTheJobAndInItsSummary() async throws {
        var builder = EstimateBuilder(content: .fixed(content: "Hi"), signature: nil, prices: nil)
        builder.add(regionCode: "GB", numbers: 2)
        var draft = StoreFixtures.draft(StoreFixtures.numbers(2))
        draft.estimate = builder.build(invalid: 0, duplicates: 0, suppressed: 0)
        let job = try await store.createJob(draft)
        #expect(try await store.estimate(of: job.id) == draft.estimate)
        #expect(try await store.summary(of: job.id).estimate == draft.estimate)
        let plain = try await store.createJob(StoreFixtures.draft(StoreFixtures.numbers(1, block: 1)))
        #expect(try await store.summary(of: plain.id).estimate == nil)
    }

    @Test func everyConnectionSharesTheCatalogue() async throws {
        #expect(try await store.schemaVersion() == StoreSchema.latestVersion)
        let reopened = try JobStore(dataDirectory: folder.path, clock: clock)
        try await reopened.addTemplate(try template("A"))
        #expect(try await store.templates().count == 1, "both connections see one catalogue")
    }
}
