/// Each valid number's own template values, for a job read with `--variables columns`
/// (SPEC §7): the header of the first file and, per number, an index into a table where each
/// distinct tuple of values is stored once.
///
/// Encodes as `{"header":["Name","Code"],"values":[["Ann","123456"],...]}`, one tuple per number
/// in `numbers` order (decoding interns them again).
public struct RecipientValues: Sendable, Equatable, Codable {
    /// The header texts of the value columns (B1, C1, ...) of the first file.
    public var header: [String]
    /// The distinct value tuples.
    public var valueSets: TemplateValueSets
    /// Each number's tuple, parallel to the report's `numbers`.
    public var valueSetIndices: [UInt32]

    /// Values for `header`'s columns; numbers are added with `valueSetIndices`.
    public init(header: [String], valueSets: TemplateValueSets, valueSetIndices: [UInt32] = []) {
        precondition(header.count == valueSets.arity, "one header per value column")
        self.header = header
        self.valueSets = valueSets
        self.valueSetIndices = valueSetIndices
    }

    /// The values of the number at `position` (in `numbers` order), in variable order.
    public func values(ofNumberAt position: Int) -> [String] {
        valueSets.values(at: Int(valueSetIndices[position]))
    }

    private enum CodingKeys: String, CodingKey { case header, values }

    /// Decodes the header and each number's values, interning equal tuples once.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        header = try container.decode([String].self, forKey: .header)
        guard header.count <= TemplateText.maximumVariables else {
            throw DecodingError.dataCorruptedError(forKey: .header, in: container, debugDescription: "more than 20 value columns")
        }
        var table = TemplateValueSets(arity: header.count)
        var indices: [UInt32] = []
        var rows = try container.nestedUnkeyedContainer(forKey: .values)
        while !rows.isAtEnd {
            let values = try rows.decode([String].self)
            guard values.count == header.count else {
                throw DecodingError.dataCorruptedError(in: rows, debugDescription: "\(values.count) values for \(header.count) columns")
            }
            indices.append(table.intern(values))
        }
        valueSets = table
        valueSetIndices = indices
    }

    /// Encodes the header and each number's values.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(header, forKey: .header)
        var rows = container.nestedUnkeyedContainer(forKey: .values)
        for index in valueSetIndices { try rows.encode(valueSets.values(at: Int(index))) }
    }
}
