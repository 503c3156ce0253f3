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
    /// The reports in body order (one for a single report, 0...50 for a batch).
    public var reports: [StatusReport]

    /// Reports read from a body of `format`.
    public init(format: StatusReportFormat, reports: [StatusReport]) {
        self.format = format
        self.reports = reports
    }
}

/// Turns a status-report request body into `StatusReport` values, or a `StatusReportError` that
/// says precisely what is malformed. Pure: no store, no clock.
///
/// A receiver calls `parse(body:contentType:)`, answers `error.httpStatus` on failure, and otherwise
/// hands `reports` to `JobStore.receiveAndApplyStatusReports` before answering `successAnswer`.
public enum StatusReportParser {
    /// Bodies over 1 MiB are refused (413) before any parsing.
    public static let maximumBodyBytes = 1 << 20
    /// The most reports a batch may hold; more is malformed.
    public static let maximumBatchReports = StatusReportBatchParser.maximumReports
    /// The answer the platform expects whenever a body parsed, even for unknown message ids.
    public static let successAnswer = #"{"returnCode":0,"returnCodeDesc":"Success"}"#

    /// Parses a body, choosing the form by `contentType` (`application/x-www-form-urlencoded` or
    /// any JSON type, case-insensitive, parameters ignored); with no or another content type, a
    /// body starting with `{` is read as a batch and anything else as a form.
    public static func parse(body: [UInt8], contentType: String?) throws(StatusReportError) -> ParsedStatusReports {
        guard body.count <= maximumBodyBytes else { throw .bodyTooLarge(bytes: body.count, limit: maximumBodyBytes) }
        let trimmed = trimmingWhiteSpace(body[...])
        guard !trimmed.isEmpty else { throw .emptyBody }
        switch format(of: contentType) ?? (trimmed.first == UInt8(ascii: "{") ? .batch : .single) {
        case .single:
            return ParsedStatusReports(format: .single, reports: [try StatusReportFormParser.parse(trimmed)])
        case .batch:
            return ParsedStatusReports(format: .batch, reports: try StatusReportBatchParser.parse(trimmed))
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
