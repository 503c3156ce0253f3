import Foundation

/// Any JSON value, so the batch parser can name a wrong type instead of failing generically, and
/// write a malformed entry back out as JSON text.
indirect enum StatusReportJSON: Codable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([StatusReportJSON])
    case object([String: StatusReportJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first: nearly every value of a report is one.
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if container.decodeNil() {
            self = .null
        } else if let object = try? container.decode([String: StatusReportJSON].self) {
            self = .object(object)
        } else if let array = try? container.decode([StatusReportJSON].self) {
            self = .array(array)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let number): try container.encode(number)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }

    /// The value as compact JSON text (keys sorted): how a malformed batch entry is kept.
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A number JSON cannot write (a decoded 1e999 is infinite) leaves the entry's description.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? kind
    }

    /// The value's type in words, for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .integer(let number): "the number \(number)"
        case .number(let number): "the number \(number)"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
