import GroupSMSModel

/// `suppress list` as a table: number, code, added, source job, reason.
enum SuppressionListText {
    static func text(_ entries: [SuppressionEntry]) -> String {
        guard !entries.isEmpty else { return "The suppression list is empty.\n" }
        let rows = [["NUMBER", "CODE", "ADDED", "JOB", "REASON"]] + entries.map {
            [$0.number, $0.code, DeliveryTimeText.iso($0.addedAt), $0.sourceJob?.description ?? "-", $0.reason]
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for row in rows {
            let padded = (0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            text += (padded + [row[4]]).joined(separator: "  ") + "\n"
        }
        text += "\(entries.count) number\(entries.count == 1 ? "" : "s") on the suppression list.\n"
        return text
    }
}

/// `suppress list --json`: `{"numbers":[...]}`.
struct SuppressionListJSON: Encodable {
    var numbers: [SuppressionEntryJSON]
}

/// One suppressed number in JSON.
struct SuppressionEntryJSON: Encodable {
    var number: String
    var code: String
    var reason: String
    var addedAt: String
    var sourceJob: String?

    init(_ entry: SuppressionEntry) {
        number = entry.number
        code = entry.code
        reason = entry.reason
        addedAt = DeliveryTimeText.iso(entry.addedAt)
        sourceJob = entry.sourceJob?.description
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(code, forKey: .code)
        try container.encode(reason, forKey: .reason)
        try container.encode(addedAt, forKey: .addedAt)
        try container.encode(sourceJob, forKey: .sourceJob)
    }

    private enum CodingKeys: String, CodingKey { case number, code, reason, addedAt, sourceJob }
}
