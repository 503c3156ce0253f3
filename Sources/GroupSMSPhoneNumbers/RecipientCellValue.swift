/// One recipient cell as the XLSX reader yields it.
public enum RecipientCellValue: Sendable, Equatable {
    /// A text cell (shared, inline or formula-result string, rich-text runs joined).
    case text(String)
    /// A numeric cell: the exact decimal text as stored, e.g. "8613112345678",
    /// "1.3112345678E10" or "8.613112345678E+12". Never a rounded `Double`.
    case number(String)
    /// A boolean cell, with the stored value ("1"/"0" or "TRUE"/"FALSE").
    case boolean(String)
    /// An error cell, with the error text (e.g. "#N/A").
    case error(String)
    /// A date cell, as the reader renders it.
    case date(String)

    /// The value as shown in reports.
    public var displayText: String {
        switch self {
        case .text(let value), .number(let value), .boolean(let value), .error(let value), .date(let value):
            value
        }
    }
}

/// One entry of a recipient file: where it is and what it holds.
public struct RecipientCellEntry: Sendable, Equatable {
    /// The cell reference, e.g. "A2".
    public var cell: String
    /// The cell's value.
    public var value: RecipientCellValue

    /// Creates an entry for `cell` holding `value`.
    public init(cell: String, value: RecipientCellValue) {
        self.cell = cell
        self.value = value
    }
}
