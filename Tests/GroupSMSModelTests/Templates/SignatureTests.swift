import Testing
import Foundation
@testable import GroupSMSModel

@Suite("Signatures (FAQ 4.1, FAQ 11.2, FAQ 12.1)")
struct SignatureTests {
    @Test(arguments: ["HW", "HUAWEI", "华为云", "Acme2026", "A1", String(repeating: "a", count: 32)])
    func acceptsLettersAndDigitsOf2To32(name: String) throws {
        #expect(try SignatureName(name).value == name)
    }

    @Test func bracketsTheNameForTheMainland() throws {
        #expect(try SignatureName("HUAWEI").bracketed == "【HUAWEI】")
    }

    @Test func refusesTheWrongLength() {
        let short = #expect(throws: TemplateError.self) { try SignatureName("A") }
        #expect(short?.description ==
            "signature \"A\" cannot be used: a signature has 2 to 32 letters or digits (FAQ 4.1); this one has 1")
        #expect(throws: TemplateError.invalidSignature(name: String(repeating: "b", count: 33), rule: .length(33))) {
            try SignatureName(String(repeating: "b", count: 33))
        }
        #expect(throws: TemplateError.invalidSignature(name: "", rule: .length(0))) { try SignatureName("") }
    }

    @Test func refusesDigitsOnly() {
        let error = #expect(throws: TemplateError.self) { try SignatureName("12345") }
        #expect(error?.description == "signature \"12345\" cannot be used: a signature cannot be digits only (FAQ 4.1)")
    }

    @Test(arguments: ["[HUAWEI]", "【华为】", "HW]"])
    func refusesBrackets(name: String) {
        #expect(throws: TemplateError.invalidSignature(name: name, rule: .brackets)) { try SignatureName(name) }
    }

    @Test func refusesOtherCharacters() {
        let error = #expect(throws: TemplateError.self) { try SignatureName("Acme Ltd") }
        #expect(error == .invalidSignature(name: "Acme Ltd", rule: .character(" ")))
        #expect(error?.description == "signature \"Acme Ltd\" cannot be used: \" \" is not a letter or digit; " +
            "a signature holds only letters (Chinese characters included) and digits (FAQ 4.1, FAQ 11.2)")
        #expect(throws: TemplateError.invalidSignature(name: "A-B", rule: .character("-"))) { try SignatureName("A-B") }
    }

    @Test func roundTripsThroughJSON() throws {
        let name = try SignatureName("Acme")
        let data = try JSONEncoder().encode([name])
        #expect(String(decoding: data, as: UTF8.self) == "[\"Acme\"]")
        #expect(try JSONDecoder().decode([SignatureName].self, from: data) == [name])
        #expect(throws: (any Error).self) { try JSONDecoder().decode([SignatureName].self, from: Data("[\"1\"]".utf8)) }
    }

    @Test(arguments: [TemplateKind.notification, .promotion])
    func mainlandNotificationAndPromotionNeedASignature(kind: TemplateKind) throws {
        let template = try MessageTemplate(id: "T1", text: "Parcel ready", kind: kind, region: .mainland)
        let error = #expect(throws: TemplateError.self) {
            try template.signature(sendingTo: .mainland, jobSignature: nil)
        }
        #expect(error == .signatureRequired(templateID: "T1", kind: kind))
        #expect(error?.description == "template T1 is a \(kind.rawValue) template and the job sends to Chinese mainland " +
            "numbers, which needs a signature (FAQ 12.1); give --signature NAME or add the template with --signature NAME")
        #expect(try template.signature(sendingTo: .international, jobSignature: nil) == nil)
    }

    @Test func verificationTemplatesGoWithoutASignature() throws {
        let template = try MessageTemplate(id: "T1", text: "Code ${NUM_6}", kind: .verification, region: .mainland)
        #expect(try template.signature(sendingTo: .mainland, jobSignature: nil) == nil)
    }

    @Test func theJobSignatureWinsOverTheTemplates() throws {
        let own = try SignatureName("Own")
        let template = try MessageTemplate(
            id: "T1", text: "Hi", kind: .promotion, region: .mainland, signature: try SignatureName("Cat"))
        #expect(try template.signature(sendingTo: .mainland, jobSignature: own) == own)
        #expect(try template.signature(sendingTo: .mainland, jobSignature: nil)?.value == "Cat")
    }

    @Test func templateIDsAre1To32CharactersWithoutSpaces() throws {
        _ = try MessageTemplate(id: String(repeating: "f", count: 32), text: "Hi", kind: .notification, region: .international)
        for bad in ["", String(repeating: "f", count: 33), "a b", "a\tb"] {
            #expect(throws: TemplateError.invalidTemplateID(bad)) {
                try MessageTemplate(id: bad, text: "Hi", kind: .notification, region: .international)
            }
        }
    }

    @Test func kindsAndRegionsReadCommandLineValues() throws {
        #expect(try TemplateKind(argument: "Promotion") == .promotion)
        #expect(try MessageRegion(argument: "MAINLAND") == .mainland)
        #expect(throws: TemplateError.unknownKind("marketing")) { try TemplateKind(argument: "marketing") }
        let region = #expect(throws: TemplateError.self) { try MessageRegion(argument: "china") }
        #expect(region?.description == "unknown template region \"china\"; use mainland or international")
        #expect(MessageRegion(regionCode: "cn") == .mainland)
        #expect(MessageRegion(regionCode: "HK") == .international)
    }
}
