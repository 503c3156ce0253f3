import Foundation
import GroupSMSModel

/// The two bodies the platform posts status reports in.
public enum StatusReportFormat: String, Sendable, Hashable {
    /// One report as an `application/x-www-form-urlencoded` form ("Status Report Receiving API").
    case single
    /// Up to 50 reports as JSON `{"statusReportList":[...]}` ("Batch Status Reports Receiving API").
    case batch
}

/// The reports one request carried.
public struct ParsedStatusReports: Sendable, Hashable {
    /// Which body it was.
    public var format: StatusReportFormat
    /// The well-formed reports in body order (one for a single report, any number for a batch).
    public var reports: [StatusReport]
    /// The entries that are not well-formed reports (a body that could not be read as its format
    /// at all is one entry, the whole body).
    public var malformed: [MalformedStatusReport]

    /// Reports read from a body of `format`.
    public init(format: StatusReportFormat, reports: [StatusReport], malformed: [MalformedStatusReport] = []) {
        self.format = format
        self.reports = reports
        self.malformed = malformed
    }
}

/// One entry of a request that is not a well-formed report, kept as it came for inspection.
public struct MalformedStatusReport: Sendable, Hashable {
    /// Its 1-based position in a batch's `statusReportList`; nil for a single report or a whole body.
    public var entry: Int?
    /// What is wrong with it.
    public var error: StatusReportError
    /// The entry as it came: a batch entry as compact JSON text (keys sorted), else the body's
    /// text (bytes that are not UTF-8 shown as U+FFFD).
    public var raw: String

    /// A malformed entry.
    public init(entry: Int?, error: StatusReportError, raw: String) {
        self.entry = entry
        self.error = error
        self.raw = raw
    }
}

/// Turns a status-report request body into `StatusReport` values and the entries that are not
/// well-formed reports, each with a `StatusReportError` that says precisely what is wrong. Pure:
/// no store, no clock.
///
/// A receiver calls `parse(body:contentType:)`, hands `reports` to the store, keeps `malformed`,
/// and answers `successAnswer` whatever the body held: the platform sends each report once and
/// does not look at the answer. `parseSingle` and `parseBatch` are the strict forms, failing at
/// the first problem.
public enum StatusReportParser {
    /// Bodies over 1 MiB are refused (413) before any parsing.
    public static let maximumBodyBytes = 1 << 20
    /// The most reports a batch holds; the receiver reads more, `parseBatch` refuses more.
    public static let maximumBatchReports = StatusReportBatchParser.maximumReports
    /// The answer the platform expects, given to every request whose body could be read.
    public static let successAnswer = #"{"returnCode":0,"returnCodeDesc":"Success"}"#

    /// Reads a body, choosing the form by `contentType` (`application/x-www-form-urlencoded` or
    /// any JSON type, case-insensitive, parameters ignored); with no or another content type, a
    /// body starting with `{` is read as a batch and anything else as a form. Throws only
    /// `bodyTooLarge`; every other problem is a malformed entry of the result.
    public static func parse(body: [UInt8], contentType: String?) throws(StatusReportError) -> ParsedStatusReports {
        guard body.count <= maximumBodyBytes else { throw .bodyTooLarge(bytes: body.count, limit: maximumBodyBytes) }
        let trimmed = trimmingWhiteSpace(body[...])
        let format = format(of: contentType) ?? (trimmed.first == UInt8(ascii: "{") ? .batch : .single)
        guard !trimmed.isEmpty else {
            return ParsedStatusReports(format: format, reports: [],
                                       malformed: [MalformedStatusReport(entry: nil, error: .emptyBody, raw: "")])
        }
        switch format {
        case .single:
            do throws(StatusReportError) {
                return ParsedStatusReports(format: .single, reports: [try StatusReportFormParser.parse(trimmed)])
            } catch {
                let raw = String(decoding: trimmed, as: UTF8.self)
                return ParsedStatusReports(format: .single, reports: [],
                                           malformed: [MalformedStatusReport(entry: nil, error: error, raw: raw)])
            }
        case .batch:
            return StatusReportBatchParser.read(trimmed)
        }
    }

    /// `parse(body:contentType:)` for a `Data` body.
    public static func parse(body: Data, contentType: String?) throws(StatusReportError) -> ParsedStatusReports {
        try parse(body: [UInt8](body), contentType: contentType)
    }

    /// Parses a single report's form body.
    public static func parseSingle(_ body: String) throws(StatusReportError) -> StatusReport {
        let bytes = trimmingWhiteSpace(Array(body.utf8)[...])
        guard !bytes.isEmpty else { throw .emptyBody }
        return try StatusReportFormParser.parse(bytes)
    }

    /// Parses a batch report's JSON body.
    public static func parseBatch(_ body: String) throws(StatusReportError) -> [StatusReport] {
        let bytes = trimmingWhiteSpace(Array(body.utf8)[...])
        guard !bytes.isEmpty else { throw .emptyBody }
        return try StatusReportBatchParser.parse(bytes)
    }

    private static func format(of contentType: String?) -> StatusReportFormat? {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if mediaType == "application/x-www-form-urlencoded" { return .single }
        if mediaType == "application/json" || mediaType == "text/json" || mediaType.hasSuffix("+json") { return .batch }
        return nil
    }

    private static func trimmingWhiteSpace(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return bytes[first...last]
    }
}
