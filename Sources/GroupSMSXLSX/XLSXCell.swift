/// How a cell's value was stored in the workbook.
public enum XLSXCellKind: Sendable, Equatable, Hashable {
    /// Text from the shared-strings table (`t="s"`), rich-text runs joined.
    case sharedString
    /// Text stored in the cell itself (`t="inlineStr"`).
    case inlineString
    /// The saved text result of a formula (`t="str"`).
    case formulaString
    /// A number; `text` is the exact decimal text as stored, e.g. `8613112345678` or `1.3112345678E10`.
    case number
    /// A boolean (`t="b"`); `text` is `0` or `1`.
    case boolean
    /// An error value (`t="e"`), e.g. `#N/A`.
    case error
    /// An ISO 8601 date (`t="d"`).
    case date
}

/// One non-empty cell of column A, as stored in the workbook.
public struct XLSXCell: Sendable, Equatable, Hashable {
    /// 1-based row number.
    public var row: Int
    /// 1-based column number (always 1 for cells the reader yields).
    public var column: Int
    /// How the value was stored.
    public var kind: XLSXCellKind
    /// The value's text: strings decoded (`_xHHHH_` escapes resolved), numbers exactly as stored.
    public var text: String

    /// Creates a cell.
    public init(row: Int, column: Int, kind: XLSXCellKind, text: String) {
        self.row = row
        self.column = column
        self.kind = kind
        self.text = text
    }

    /// The cell's A1 reference in upper case, e.g. `A7` (derived, so reading never builds it).
    public var reference: String { XLSXCellReference.name(row: row, column: column) }
}

/// A non-empty column-A cell as the reader holds it, its text not yet made a `String`: for
/// callers that look at the bytes of every cell and keep few of them (e.g. normalising phone
/// numbers). `text` points into the reader's buffers and is valid only during the call the
/// cell is passed to.
public struct XLSXCellBytes {
    /// 1-based row number (the column is always A).
    public let row: Int
    /// How the value was stored.
    public let kind: XLSXCellKind
    /// The value's UTF-8 text, as `XLSXCell.text` would hold it.
    public let text: UnsafeBufferPointer<UInt8>

    /// Creates a cell view.
    public init(row: Int, kind: XLSXCellKind, text: UnsafeBufferPointer<UInt8>) {
        self.row = row
        self.kind = kind
        self.text = text
    }

    /// The cell as a value that can be kept.
    public var cell: XLSXCell { XLSXCell(row: row, column: 1, kind: kind, text: String(decoding: text, as: UTF8.self)) }
}

/// A1-style cell references: parsing what workbooks contain and naming cells for messages.
enum XLSXCellReference {
    /// Excel's largest column (XFD).
    static let maxColumn = 16_384
    /// Excel's largest row.
    static let maxRow = 1_048_576

    /// The column letters for a 1-based column number, e.g. 28 → `AB`.
    static func columnLetters(_ column: Int) -> String {
        var letters: [UInt8] = []
        var rest = column
        while rest > 0 {
            let digit = (rest - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(digit))
            rest = (rest - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// The reference for a cell, e.g. row 7 column 2 → `B7`.
    static func name(row: Int, column: Int) -> String {
        // Column A is what the reader yields, many thousands of times: skip the letters loop.
        column == 1 ? "A" + String(row) : columnLetters(column) + String(row)
    }

    /// Parses a reference such as `A7`, `b12` or `AB` (letters only: row unknown, 0).
    /// Returns nil for anything else, including columns past XFD and rows past 1,048,576.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (column: Int, row: Int)? {
        var index = 0
        var column = 0
        while index < bytes.count {
            let byte = bytes[index] | 0x20  // fold ASCII letters to lower case
            guard byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") else { break }
            column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
            guard column <= maxColumn else { return nil }
            index += 1
        }
        guard column > 0 else { return nil }
        if index == bytes.count { return (column, 0) }
        guard let row = parseRow(UnsafeBufferPointer(rebasing: bytes[index...])) else { return nil }
        return (column, row)
    }

    /// Parses a row number (1...1,048,576) written in ASCII digits.
    static func parseRow(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 7 else { return nil }
        var row = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            row = row * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return (1...maxRow).contains(row) ? row : nil
    }
}
