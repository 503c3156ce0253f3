import Foundation

/// One SMS status report (API reference 3.2.5; the batch variant carries the same fields).
public struct PlatformStatusReport: Sendable, Equatable, Codable {
    /// The message ID from the send answer.
    public var smsMsgId: String
    /// `DELIVRD` or a failure status (appendix 5.2.2).
    public var status: String
    /// Parts of a long message (`"1"` when not split).
    public var total: String?
    /// This part's number (`"1"` when not split).
    public var sequence: String?
    /// Who made the report: 1 the Message & SMS platform, 2 the SMS centre, 3 the Huawei platform.
    public var source: String?
    /// When the platform got the report, `yyyy-MM-ddTHH:mm:ssZ` UTC.
    public var updateTime: String?
    /// The southbound status code passed through (international messages).
    public var orgCode: String?
    /// The request's `extend`, when it carried one.
    public var extend: String?
    /// The recipient number; present only together with `extend`.
    public var to: String?

    /// Creates a report.
    public init(smsMsgId: String, status: String, total: String? = "1", sequence: String? = "1",
                source: String? = "2", updateTime: String? = nil, orgCode: String? = nil,
                extend: String? = nil, to: String? = nil) {
        self.smsMsgId = smsMsgId
        self.status = status
        self.total = total
        self.sequence = sequence
        self.source = source
        self.updateTime = updateTime
        self.orgCode = orgCode
        self.extend = extend
        self.to = to
    }

    /// The catalogue's class of `status` (unknown statuses are retryable failures).
    public var statusClass: PlatformCodeClass { PlatformCodeCatalogue.reportClass(for: status) }

    /// The single-report form body.
    public func formBody() -> String {
        var fields: [(String, String)] = []
        let optional: [(String, String?)] = [("sequence", sequence), ("total", total), ("orgCode", orgCode),
                                             ("updateTime", updateTime), ("source", source)]
        for case let (name, value?) in optional { fields.append((name, value)) }
        fields.append(("smsMsgId", smsMsgId))
        fields.append(("status", status))
        if let extend { fields.append(("extend", extend)) }
        if let to { fields.append(("to", to)) }
        return PlatformFormEncoding.body(fields)
    }

    /// Parses a single-report form body; nil when `smsMsgId` or `status` is missing.
    public init?(formBody: String) {
        var values: [String: String] = [:]
        for field in PlatformFormEncoding.fields(formBody) where values[field.name] == nil {
            values[field.name] = field.value
        }
        guard let id = values["smsMsgId"], !id.isEmpty, let status = values["status"], !status.isEmpty else { return nil }
        self.init(smsMsgId: id, status: status, total: values["total"], sequence: values["sequence"],
                  source: values["source"], updateTime: values["updateTime"], orgCode: values["orgCode"],
                  extend: values["extend"], to: values["to"])
    }
}

/// A batch of status reports: `{"statusReportList":[...]}`, at most 50 reports.
public struct PlatformStatusReportBatch: Sendable, Equatable, Codable {
    /// The most reports the platform puts in one batch.
    public static let maxReports = 50

    /// The reports.
    public var statusReportList: [PlatformStatusReport]

    /// Creates a batch.
    public init(statusReportList: [PlatformStatusReport]) {
        self.statusReportList = statusReportList
    }

    /// The JSON body.
    public func jsonBody() -> [UInt8] {
        Array((try? JSONEncoder.platformCompact.encode(self)) ?? Data())
    }

    /// Parses a batch body; nil when it is not a report list.
    public init?(jsonBody: [UInt8]) {
        guard let batch = try? JSONDecoder().decode(PlatformStatusReportBatch.self, from: Data(jsonBody)) else { return nil }
        self = batch
    }

    /// The answer the platform expects from a receiver.
    public static let successAnswer = #"{"returnCode":0,"returnCodeDesc":"Success"}"#
}
