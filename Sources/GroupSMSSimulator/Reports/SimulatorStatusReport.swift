/// One status report as the simulated platform pushes it (Status Report Receiving API, table
/// 3-67; Batch Status Reports Receiving API), written with the simulator's own encoders.
struct SimulatorStatusReport: Sendable, Equatable {
    var smsMsgId: String
    var status: String
    /// Parts of the message (1 when not split).
    var total: Int
    /// This part's number, 1...total.
    var sequence: Int
    /// 1: made by the Message & SMS platform; 2: returned by the SMSC.
    var source: String
    var updateTime: String
    /// The southbound code, carried only for international numbers.
    var orgCode: String?
    /// The request's `extend`; `to` is carried only with it.
    var extend: String?
    var to: String?

    /// The single report's form body, fields in the reference example's order.
    func formBody() -> String {
        SimulatorFormCoding.body(fields)
    }

    /// The fields in the order the reference example writes them; absent ones left out.
    private var fields: [(String, String)] {
        var out: [(String, String)] = [("sequence", String(sequence)), ("total", String(total))]
        if let orgCode { out.append(("orgCode", orgCode)) }
        out += [("updateTime", updateTime), ("source", source), ("smsMsgId", smsMsgId), ("status", status)]
        if let extend { out.append(("extend", extend)) }
        if let to { out.append(("to", to)) }
        return out
    }

    /// `{"statusReportList":[...]}` with every value a JSON string, as the platform writes it.
    static func batchBody(_ reports: some Collection<SimulatorStatusReport>) -> [UInt8] {
        var json = SimulatorJSONWriter(capacity: 32 + reports.count * 200)
        json.raw("{\"statusReportList\":[")
        for (index, report) in reports.enumerated() {
            json.raw(index > 0 ? ",{" : "{")
            for (position, field) in report.fields.enumerated() {
                json.field(field.0, field.1, first: position == 0)
            }
            json.raw("}")
        }
        json.raw("]}")
        return json.bytes
    }
}

/// The reports one accepted message gets: one per part, each with the number's status, or
/// DELIVRD on every part but the configured failing one.
enum SimulatorReportPlan {
    /// Statuses the platform makes itself (source 1) rather than relays from the SMSC (source 2).
    static func isPlatformMade(_ status: String) -> Bool {
        status.hasPrefix("E") || status.hasPrefix("SC:") || status == "MILIMIT" || status == "LIMIT"
    }

    static func reports(smsMsgId: String, number: String, status: String, parts: Int,
                        failingPart: SimulatorFailingPart?, updateTime: String, extend: String?) -> [SimulatorStatusReport] {
        let total = max(1, min(parts, 99))
        let international = !number.hasPrefix("+86")
        return (1...total).map { sequence in
            var partStatus = status
            if let failingPart, total > 1, status == SimulatorCodeTable.delivered {
                partStatus = sequence == failingPart.sequence ? failingPart.status : SimulatorCodeTable.delivered
            }
            return SimulatorStatusReport(
                smsMsgId: smsMsgId, status: partStatus, total: total, sequence: sequence,
                source: isPlatformMade(partStatus) ? "1" : "2", updateTime: updateTime,
                orgCode: international && partStatus == SimulatorCodeTable.delivered ? "000" : nil,
                extend: extend, to: extend == nil ? nil : number)
        }
    }
}
