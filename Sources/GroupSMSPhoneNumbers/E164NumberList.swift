/// The distinct numbers of a job in E.164 form, first-seen order. Stored as integers (8 bytes
/// a number, shared with the builder, no copy) and turned into "+8613112345678" strings as
/// they are read, so a million-number job does not hold a million strings.
public struct E164NumberList: RandomAccessCollection, Sendable, Equatable, Codable {
    /// The E.164 digits of each number as one integer (calling codes never start with 0).
    public let e164Values: [UInt64]

    /// A list of the numbers with these E.164 digit values.
    public init(e164Values: [UInt64]) { self.e164Values = e164Values }

    /// The first position (0).
    public var startIndex: Int { e164Values.startIndex }
    /// One past the last position.
    public var endIndex: Int { e164Values.endIndex }
    /// The number at `position` in E.164 form, e.g. "+8613112345678".
    public subscript(position: Int) -> String { NormalizedPhoneNumber.e164String(for: e164Values[position]) }

    /// Decodes a JSON array of E.164 strings.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var values: [UInt64] = []
        while !container.isAtEnd {
            let text = try container.decode(String.self)
            guard text.first == "+", let value = UInt64(text.dropFirst()), value > 0 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an E.164 number")
            }
            values.append(value)
        }
        e164Values = values
    }

    /// Encodes a JSON array of E.164 strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for number in self { try container.encode(number) }
    }
}
