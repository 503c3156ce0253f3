import Foundation
import Testing
@testable import GroupSMSPhoneNumbers

/// Agreement with the reference library on the committed vectors
/// (.tools/generate-phone-timezones.py, Python phonenumbers = libphonenumber 9.0.43).
@Suite struct TimeZoneVectorTests {
    struct Vector {
        let e164: String
        let e164Value: UInt64
        let callingCode: Int
        let type: PhoneNumberType
        let zones: [String]
    }

    static func loadVectors() throws -> [Vector] {
        let url = try #require(Bundle.module.resourceURL)
            .appendingPathComponent("Fixtures/PhoneNumbers/timezone-vectors.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 5, "bad vector line \(line)")
            return Vector(e164: fields[0], e164Value: try #require(UInt64(fields[0].dropFirst())),
                          callingCode: try #require(Int(fields[1])), type: try #require(PhoneNumberType(rawValue: fields[2])),
                          zones: fields[3] == "-" ? [] : fields[3].split(separator: "&").map(String.init))
        }
    }

    @Test func zonesAgreeWithLibphonenumberOnTheVectors() throws {
        let zones = try PhoneTimeZones.bundled()
        let vectors = try Self.loadVectors()
        #expect(vectors.count >= 5_000)
        #expect(Set(vectors.map(\.callingCode)).count >= 200)
        var agree = 0
        var disagreements: [String] = []
        for vector in vectors {
            let geographical = zones.isGeographical(vector.type, countryCode: vector.callingCode)
            let actual = zones.zoneIDs(forE164Value: vector.e164Value, countryCode: vector.callingCode,
                                       geographical: geographical)
            if actual == vector.zones {
                agree += 1
            } else {
                disagreements.append("\(vector.e164) \(vector.type): expected \(vector.zones), got \(actual)")
            }
            // Geographical numbers get the same answer from their E.164 text alone.
            if geographical { #expect(zones.zoneIDs(forE164: vector.e164) == vector.zones, "\(vector.e164)") }
        }
        print("timezone vectors: \(agree)/\(vectors.count) agree")
        for line in disagreements.prefix(25) { print("  disagreement: \(line)") }
        #expect(agree == vectors.count)
    }
}
