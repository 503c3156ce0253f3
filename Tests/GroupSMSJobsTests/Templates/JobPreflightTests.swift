import Foundation
import Testing
import GroupSMSModel
@testable import GroupSMSJobs

/// The pure preflight: parameter and signature checks, the resolved settings and the estimate.
@Suite struct JobPreflightTests {
    private func settings(_ params: [String], signature: String? = nil) -> JobSettings {
        JobSettings(templateID: "T1", from: "8824110605", params: params, signature: signature)
    }

    private func template(kind: TemplateKind = .notification, signature: String? = nil) throws -> MessageTemplate {
        try MessageTemplate(id: "T1", text: "Parcel ${NUM_6} arrives ${DATE}.", kind: kind, region: .mainland,
                            signature: signature.map { try SignatureName($0) })
    }

    private func audience(_ byRegion: [String: Int], first: String? = nil) -> JobPreflight.Audience {
        JobPreflight.Audience(numbersByRegion: byRegion, invalid: 1, duplicates: 2, suppressed: 3, firstRegion: first)
    }

    @Test func aParameterThatDoesNotFitIsRefusedNamingItsPlaceholder() throws {
        #expect(throws: TemplateError.parameterDoesNotFit(position: 1, value: "1234567", placeholder: "${NUM_6}",
                                                          rule: .maxDigits(6))) {
            try JobPreflight.check(settings(["1234567", "2026/12/24"], signature: "Acme"), template: try template(),
                                   audience: audience(["CN": 1]), prices: nil)
        }
        #expect(throws: TemplateError.self) {
            try JobPreflight.check(settings(["123456"], signature: "Acme"), template: try template(),
                                   audience: audience(["CN": 1]), prices: nil)
        }
    }

    @Test func mainlandNotificationWithoutASignatureIsRefused() throws {
        #expect(throws: TemplateError.signatureRequired(templateID: "T1", kind: .notification)) {
            try JobPreflight.check(settings(["123456", "2026/12/24"]), template: try template(),
                                   audience: audience(["CN": 1, "GB": 1]), prices: nil)
        }
        // No mainland number: no signature needed.
        let abroad = try JobPreflight.check(settings(["123456", "2026/12/24"]), template: try template(),
                                            audience: audience(["GB": 4]), prices: nil)
        #expect(abroad.estimate.numbers == 4 && abroad.settings.signature == nil)
        // A verification template is bound to its signature on the platform.
        _ = try JobPreflight.check(settings(["123456", "2026/12/24"]), template: try template(kind: .verification),
                                   audience: audience(["CN": 1]), prices: nil)
    }

    @Test func aSignatureThatBreaksTheRulesIsRefused() throws {
        #expect(throws: TemplateError.invalidSignature(name: "A", rule: .length(1))) {
            try JobPreflight.check(settings(["123456", "2026/12/24"], signature: "A"), template: nil,
                                   audience: audience(["CN": 1]), prices: nil)
        }
    }

    @Test func theTemplatesSignatureIsFilledInAndCounted() throws {
        let result = try JobPreflight.check(settings(["123456", "2026/12/24"]), template: try template(signature: "Acme"),
                                            audience: audience(["GB": 1, "CN": 2], first: "GB"), prices: nil)
        #expect(result.settings.signature == "Acme", "the platform receives the signature the estimate counted")
        #expect(result.estimate.preview == "Parcel 123456 arrives 2026/12/24.", "the first recipient (GB) is previewed")
        #expect(result.estimate.byRegion.map(\.region) == ["CN", "GB"])
        #expect(result.estimate.templateChecked)
        #expect(result.estimate.invalid == 1 && result.estimate.duplicates == 2 && result.estimate.suppressed == 3)
    }

    @Test func aTemplateNotInTheCatalogueIsCheckedOnlyAgainstThePlatformsGeneralRules() throws {
        let result = try JobPreflight.check(settings(["anything"]), template: nil, audience: audience(["CN": 2]),
                                            prices: nil)
        #expect(!result.estimate.templateChecked)
        #expect(result.estimate.templateCheckNote?.hasPrefix("template T1 is not in the local catalogue") == true)
        #expect(throws: TemplateError.parameterFitsNoVariable(position: 2, value: "", rule: .notEmpty)) {
            try JobPreflight.check(settings(["a", ""]), template: nil, audience: audience(["CN": 2]), prices: nil)
        }
        #expect(TemplateError.parameterFitsNoVariable(position: 1, value: "{x}", rule: .noBraces).description
                == "parameter 1 \"{x}\" fits no template variable: must not contain { or }")
    }
}
