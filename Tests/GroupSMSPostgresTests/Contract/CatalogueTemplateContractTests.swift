import Foundation
import GroupSMSModel
import GroupSMSStore
import GroupSMSTestSupport
import Testing

/// The template catalogue, the same on both stores.
@Suite("Store contract: template catalogue")
struct CatalogueTemplateContractTests {
    private static func template(_ id: String, text: String = "Code ${NUM_6}", signature: String? = "Acme",
                                 kind: TemplateKind = .verification,
                                 region: MessageRegion = .mainland) throws -> MessageTemplate {
        try MessageTemplate(id: id, text: text, kind: kind, region: region,
                            signature: signature.map { try SignatureName($0) }, name: "name \(id)")
    }

    @Test(arguments: StoreBackend.allCases)
    func templatesAreAddedListedByIDReadAndRemoved(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        try await store.addTemplate(try Self.template("B"), replace: false)
        fixture.clock.advance(by: 5)
        try await store.addTemplate(try Self.template("A", signature: nil, kind: .promotion, region: .international),
                                    replace: false)
        try await store.addTemplate(try Self.template("a"), replace: false)
        let all = try await store.templates()
        #expect(all.map(\.template.id) == ["A", "B", "a"], "ids in byte order on both stores")
        #expect(all[0].addedAt == fixture.clock.now() && all[0].template.signature == nil)
        #expect(all[0].template == (try Self.template("A", signature: nil, kind: .promotion, region: .international)))
        #expect(all[1].addedAt == fixture.clock.now().addingTimeInterval(-5))
        #expect(try await store.template(id: "B")?.template == (try Self.template("B")))
        #expect(try await store.template(id: "C") == nil)
        #expect(try await store.removeTemplate(id: "B"))
        #expect(try await !store.removeTemplate(id: "B"))
        #expect(try await store.templates().map(\.template.id) == ["A", "a"])
        await fixture.close(store)
    }

    @Test(arguments: StoreBackend.allCases)
    func anIDAlreadyThereIsRefusedUnlessReplaced(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let store = try await fixture.store(CatalogueContractStore.self)
        try await store.addTemplate(try Self.template("A"), replace: false)
        let refusal = StoreError.invalidInput("template A is already in the catalogue; give --replace to overwrite it, "
                                              + "or `groupsms template remove A` first")
        await #expect(throws: refusal) {
            try await store.addTemplate(try Self.template("A", text: "New ${TXT_3}"), replace: false)
        }
        #expect(try await store.template(id: "A")?.template.text.source == "Code ${NUM_6}")
        fixture.clock.advance(by: 30)
        try await store.addTemplate(try Self.template("A", text: "New ${TXT_3}", signature: nil), replace: true)
        let replaced = try #require(try await store.template(id: "A"))
        #expect(replaced.template == (try Self.template("A", text: "New ${TXT_3}", signature: nil)))
        #expect(replaced.addedAt == fixture.clock.now(), "a replaced template is added anew")
        try await store.addTemplate(try Self.template("N"), replace: true)
        #expect(try await store.templates().map(\.template.id) == ["A", "N"], "replace also adds a new id")
        await fixture.close(store)
    }

    /// Two stores (two processes) add the same id at the same instant: one stores it, the
    /// other is refused, and both then read the one template.
    @Test(arguments: StoreBackend.allCases)
    func twoStoresAddingTheSameIDAtOnceStoreItOnce(backend: StoreBackend) async throws {
        let fixture = try await StoreContractFixture.make(backend)
        let first = try await fixture.store(CatalogueContractStore.self)
        let second = try await fixture.store(CatalogueContractStore.self)
        let mine = try Self.template("shared", text: "From a ${TXT_3}")
        let theirs = try Self.template("shared", text: "From b ${TXT_3}")
        async let a = Result(catching: { try await first.addTemplate(mine, replace: false) })
        async let b = Result(catching: { try await second.addTemplate(theirs, replace: false) })
        let results = await [a, b]
        let refused = results.filter { if case .failure(let error) = $0 { return error is StoreError } else { return false } }
        #expect(results.filter { (try? $0.get()) != nil }.count == 1 && refused.count == 1, "\(results)")
        let stored = try #require(try await first.template(id: "shared"))
        #expect(try await second.templates() == [stored])
        #expect([mine, theirs].contains(stored.template))
        await fixture.close(first)
        await fixture.close(second)
    }
}
