import GroupSMSModel

/// The fields of a status report and their limits ("Status Report Receiving API", table 3-67, and
/// "Batch Status Reports Receiving API"), shared by the form and the batch parser.
///
/// Optional fields that arrive empty (`orgCode=`) or as JSON null count as absent: the
/// platform omits what it does not know, and refusing a report for an empty optional field
/// would lose a delivery result, since the platform ignores our answer and never resends.
enum StatusReportFields {
    /// Every field name a report may carry; other names are ignored (the platform may add some).
    static let names: Set<String> = ["smsMsgId", "status", "total", "sequence", "source", "updateTime", "orgCode",
                                     "extend", "to"]

    /// `extend` is 1-28 characters in single reports and 1-128 in batch reports.
    static let singleExtendLimit = 28
    static let batchExtendLimit = 128

    /// The field names in the order their values are checked, so the same report always gives the same error.
    private static let checkOrder = ["smsMsgId", "status", "total", "sequence", "source", "updateTime", "orgCode",
                                     "extend", "to"]

    /// `status` is any printable code up to this long: the reference lists 7-character codes, but
    /// carriers' codes pass through (`MN:000123`), and refusing one would lose a delivery result.
    static let statusLimit = 32

    /// Builds a report from decoded field values, checking control characters, presence, lengths
    /// and numbers.
    static func report(from fields: [String: String], extendLimit: Int, entry: Int?) throws(StatusReportError) -> StatusReport {
        for name in checkOrder {
            if let text = fields[name], let scalar = UntrustedText.firstForbiddenScalar(in: text) {
                throw .controlCharacter(name, scalar: scalar.value, entry: entry)
            }
        }
        func value(_ name: String, limit: Int) throws(StatusReportError) -> String? {
            guard let text = fields[name], !text.isEmpty else { return nil }
            let length = text.count
            guard length <= limit else { throw .fieldTooLong(name, length: length, limit: limit, entry: entry) }
            return text
        }
        func required(_ name: String, limit: Int) throws(StatusReportError) -> String {
            guard let text = try value(name, limit: limit) else { throw .missingField(name, entry: entry) }
            return text
        }
        func part(_ name: String) throws(StatusReportError) -> Int? {
            guard let text = try value(name, limit: 2) else { return nil }
            guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(text), number >= 1 else {
                throw .invalidValue(name, value: text, reason: "must be a whole number from 1 to 99", entry: entry)
            }
            return number
        }
        let smsMsgId = try required("smsMsgId", limit: 50)
        let status = try required("status", limit: statusLimit)
        let total = try part("total")
        let sequence = try part("sequence")
        if let total, let sequence, sequence > total {
            throw .invalidValue("sequence", value: String(sequence),
                                reason: "it is beyond total \(total) (the parts of a long message are 1...total)",
                                entry: entry)
        }
        return StatusReport(
            smsMsgId: smsMsgId, status: status, total: total, sequence: sequence,
            // An enumeration (1 platform, 2 SMSC, 3 Huawei); an unlisted short code is kept as sent.
            source: try value("source", limit: 2), updateTime: try value("updateTime", limit: 20),
            orgCode: try value("orgCode", limit: 7), extend: try value("extend", limit: extendLimit),
            to: try value("to", limit: 21))
    }
}
