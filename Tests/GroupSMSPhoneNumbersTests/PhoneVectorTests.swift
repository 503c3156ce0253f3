import Foundation
import Testing
@testable import GroupSMSPhoneNumbers
import GroupSMSTestSupport

/// Agreement with the reference library on the committed vectors
/// (.tools/generate-phone-vectors.py, Python phonenumbers = libphonenumber 9.0.43).
@Suite struct PhoneVectorTests {
    @Test func normaliserAgreesWithLibphonenumberOnTheVectors() throws {
        let vectors = try PhoneVectorFixture.load()
        #expect(vectors.count >= 5_000)
        #expect(Set(vectors.map(\.region)).count >= 40)

        var normalizers: [String: PhoneNumberNormalizer] = [:]
        var agree = 0
        var disagreements: [String] = []
        for vector in vectors {
            let normalizer = try normalizers[vector.region] ?? PhoneNumberNormalizer(defaultRegion: vector.region)
            normalizers[vector.region] = normalizer
            let actual = PhoneVectorFixture.code(for: normalizer.normalize(vector.value))
            if actual.expected == vector.expected && actual.type == vector.type {
                agree += 1
            } else {
                disagreements.append("\(vector.region) \(vector.value): expected \(vector.expected) \(vector.type), got \(actual.expected) \(actual.type)")
            }
        }
        let percent = Double(agree) * 100 / Double(vectors.count)
        print("phone vectors: \(agree)/\(vectors.count) agree (\(String(format: "%.2f", percent))%)")
        for line in disagreements.prefix(25) { print("  disagreement: \(line)") }
        #expect(percent >= 99.5)
    }
}

extension PhoneVectorFixture {
    /// The vectors committed in this test target's Fixtures folder.
    static func load() throws -> [Vector] {
        let url = try #require(Bundle.module.resourceURL)
            .appendingPathComponent("Fixtures/PhoneNumbers/phone-vectors.tsv")
        return try load(from: url)
    }
}
