import Foundation
import GroupSMSModel
import GroupSMSPlatform

/// Status reports as the platform posts them: the simulator sends these bodies, and
/// `StatusReportParser` reads them back, so both sides share one model of a report.
extension StatusReport {
    /// The single-report form body (`application/x-www-form-urlencoded`), numbers as text.
    public func formBody() -> String {
        var fields: [(String, String)] = []
        let optional: [(String, String?)] = [("sequence", sequence.map(String.init)), ("total", total.map(String.init)),
                                             ("orgCode", orgCode), ("updateTime", updateTime), ("source", source)]
        for case let (name, value?) in optional { fields.append((name, value)) }
        fields.append(("smsMsgId", smsMsgId))
        fields.append(("status", status))
        if let extend { fields.append(("extend", extend)) }
        if let to { fields.append(("to", to)) }
        return PlatformFormEncoding.body(fields)
    }

    /// The batch body `{"statusReportList":[...]}` (at most 50 reports; numbers as text, as the
    /// platform writes them).
    public static func batchBody(_ reports: some Sequence<StatusReport>) -> [UInt8] {
        let list = StatusReportListWire(statusReportList: reports.map(StatusReportWire.init))
        return Array((try? JSONEncoder.platformCompact.encode(list)) ?? Data())
    }
}

private struct StatusReportListWire: Encodable {
    var statusReportList: [StatusReportWire]
}

private struct StatusReportWire: Encodable {
    var smsMsgId: String
    var status: String
    var total: String?
    var sequence: String?
    var source: String?
    var updateTime: String?
    var orgCode: String?
    var extend: String?
    var to: String?

    init(_ report: StatusReport) {
        smsMsgId = report.smsMsgId
        status = report.status
        total = report.total.map(String.init)
        sequence = report.sequence.map(String.init)
        source = report.source
        updateTime = report.updateTime
        orgCode = report.orgCode
        extend = report.extend
        to = report.to
    }
}
