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

/// A recipient cell's value as the UTF-8 bytes a reader holds, for the import's hot path:
/// `bytes` is valid only during the call the value is passed to. `value` makes the `String`
/// form, for the few entries that are kept.
public struct RecipientCellBytes {
    /// How the cell stored its value (as in `RecipientCellValue`).
    public enum Kind: Sendable, Equatable {
        case text, number, boolean, error, date
    }

    /// How the cell stored its value.
    public let kind: Kind
    /// The value's UTF-8 text: a text cell's text, a numeric cell's exact decimal text.
    public let bytes: UnsafeBufferPointer<UInt8>

    /// Creates a value of `kind` over `bytes`.
    public init(kind: Kind, bytes: UnsafeBufferPointer<UInt8>) {
        self.kind = kind
        self.bytes = bytes
    }

    /// The value as a `RecipientCellValue` (this makes its `String`).
    public var value: RecipientCellValue {
        let text = String(decoding: bytes, as: UTF8.self)
        switch kind {
        case .text: return .text(text)
        case .number: return .number(text)
        case .boolean: return .boolean(text)
        case .error: return .error(text)
        case .date: return .date(text)
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
