import Foundation
import GroupSMSModel

/// Reads a batch status report: JSON `{"statusReportList":[{...}, ...]}` with at most 50 entries.
///
/// The reference sends every field as a JSON string (`"total":"1"`); `total`, `sequence` and
/// `source` are also taken as JSON integers, since they are numbers in meaning. Any other type
/// (an object for `status`, a number for `smsMsgId`, `true` anywhere) is refused by name.
enum StatusReportBatchParser {
    static let maximumReports = 50
    private static let numericFields: Set<String> = ["total", "sequence", "source"]

    static func parse(_ body: ArraySlice<UInt8>) throws(StatusReportError) -> [StatusReport] {
        let root: StatusReportJSON
        do {
            root = try JSONDecoder().decode(StatusReportJSON.self, from: Data(body))
        } catch let error as DecodingError {
            throw .badJSON(Self.explain(error))
        } catch {
            throw .badJSON(String(describing: error))
        }
        guard case .object(let object) = root else {
            throw .wrongType("the body", expected: "a JSON object with statusReportList", found: root.kind, entry: nil)
        }
        guard let list = object["statusReportList"], list != .null else {
            throw .missingField("statusReportList", entry: nil)
        }
        guard case .array(let entries) = list else {
            throw .wrongType("statusReportList", expected: "a list of reports", found: list.kind, entry: nil)
        }
        guard entries.count <= maximumReports else {
            throw .tooManyReports(count: entries.count, limit: maximumReports)
        }
        var reports: [StatusReport] = []
        reports.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() {
            let position = offset + 1
            guard case .object(let members) = entry else {
                throw .wrongType("the entry", expected: "an object with smsMsgId and status", found: entry.kind,
                                 entry: position)
            }
            var fields: [String: String] = [:]
            for (name, value) in members where StatusReportFields.names.contains(name) {
                switch value {
                case .null: continue
                case .string(let text): fields[name] = text
                case .integer(let number) where numericFields.contains(name): fields[name] = String(number)
                default:
                    let expected = numericFields.contains(name) ? "a string or a whole number" : "a string"
                    throw .wrongType(name, expected: expected, found: value.kind, entry: position)
                }
            }
            reports.append(try StatusReportFields.report(from: fields, extendLimit: StatusReportFields.batchExtendLimit,
                                                         entry: position))
        }
        return reports
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?).flatMap { $0.userInfo[NSDebugDescriptionErrorKey] as? String }
            return underlying ?? context.debugDescription
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            return context.debugDescription
        @unknown default:
            return String(describing: error)
        }
    }
}

/// Any JSON value, so the batch parser can name a wrong type instead of failing generically.
indirect enum StatusReportJSON: Decodable, Equatable {
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
