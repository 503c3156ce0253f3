import Foundation
import GroupSMSModel

/// Reads a batch status report: JSON `{"statusReportList":[{...}, ...]}` (the platform sends at
/// most 50 entries).
///
/// The reference sends every field as a JSON string (`"total":"1"`); `total`, `sequence` and
/// `source` are also taken as JSON integers, since they are numbers in meaning. Any other type
/// (an object for `status`, a number for `smsMsgId`, `true` anywhere) is refused by name.
///
/// `read` keeps every well-formed entry and lists the others as malformed, because the platform
/// sends each report once: one bad entry must not lose the rest. `parse` is the strict form,
/// failing at the first problem (and on more than 50 entries).
enum StatusReportBatchParser {
    static let maximumReports = 50
    private static let numericFields: Set<String> = ["total", "sequence", "source"]

    /// The well-formed entries of `body` and the malformed ones (a body that is not a batch at
    /// all is one malformed entry, the whole body).
    static func read(_ body: ArraySlice<UInt8>) -> ParsedStatusReports {
        var parsed = ParsedStatusReports(format: .batch, reports: [])
        let entries: [StatusReportJSON]
        do throws(StatusReportError) {
            entries = try list(in: body)
        } catch {
            parsed.malformed = [MalformedStatusReport(entry: nil, error: error, raw: String(decoding: body, as: UTF8.self))]
            return parsed
        }
        parsed.reports.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() {
            do throws(StatusReportError) {
                parsed.reports.append(try report(from: entry, position: offset + 1))
            } catch {
                parsed.malformed.append(MalformedStatusReport(entry: offset + 1, error: error, raw: entry.jsonText))
            }
        }
        return parsed
    }

    /// Every entry of `body`, or the first problem.
    static func parse(_ body: ArraySlice<UInt8>) throws(StatusReportError) -> [StatusReport] {
        let entries = try list(in: body)
        guard entries.count <= maximumReports else {
            throw .tooManyReports(count: entries.count, limit: maximumReports)
        }
        var reports: [StatusReport] = []
        reports.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() {
            reports.append(try report(from: entry, position: offset + 1))
        }
        return reports
    }

    private static func list(in body: ArraySlice<UInt8>) throws(StatusReportError) -> [StatusReportJSON] {
        // JSONDecoder names a type mismatch for bytes that are not UTF-8 at all; say what is wrong.
        guard String(validating: body, as: UTF8.self) != nil else {
            throw .badJSON("the body is not valid UTF-8 JSON")
        }
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
        return entries
    }

    private static func report(from entry: StatusReportJSON, position: Int) throws(StatusReportError) -> StatusReport {
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
        return try StatusReportFields.report(from: fields, extendLimit: StatusReportFields.batchExtendLimit,
                                             entry: position)
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
