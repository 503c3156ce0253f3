/// Row 1 of a sheet read with variable columns: A1 names the number column, B1, C1, ... the
/// template's variables in order (any text). Its cells are contiguous from A1, none empty.
public struct XLSXHeader: Sendable, Equatable {
    /// The header cells A1, B1, ... as stored (texts; numbers as their exact stored text).
    public let cells: [XLSXCell]
    /// Whether the workbook counts day serials from 1904-01-01 (Mac Excel 2008 and older).
    public let date1904: Bool

    /// Creates a header.
    public init(cells: [XLSXCell], date1904: Bool) {
        self.cells = cells
        self.date1904 = date1904
    }

    /// Columns the rows may use: A plus one per variable.
    public var width: Int { cells.count }
    /// The value columns, B onwards.
    public var variableCount: Int { cells.count - 1 }
}

/// One non-empty cell of a row read with variable columns; `text` is valid only during the
/// call the row is passed to.
public struct XLSXValueCellBytes {
    /// 1-based column (A = 1).
    public let column: Int
    /// How the value was stored.
    public let kind: XLSXCellKind
    /// For a numeric cell, what its number format shows (a date or time, or a plain number).
    public let numberStyle: XLSXNumberStyle
    /// The value's UTF-8 text, as `XLSXCell.text` would hold it.
    public let text: UnsafeBufferPointer<UInt8>

    /// Creates a cell view.
    public init(column: Int, kind: XLSXCellKind, numberStyle: XLSXNumberStyle, text: UnsafeBufferPointer<UInt8>) {
        self.column = column
        self.kind = kind
        self.numberStyle = numberStyle
        self.text = text
    }
}

/// One row after the header of a sheet read with variable columns: the non-empty cells of
/// columns A to the header's last column. Valid only during the call it is passed to.
public struct XLSXRowBytes {
    /// 1-based row number.
    public let row: Int
    /// The header's width: columns 1...width may hold cells.
    public let width: Int
    /// One slot per column, and the bytes the slots' texts are in (for `XLSXRowBatch`).
    let slots: UnsafeBufferPointer<XLSXRowSlot>
    let bytes: UnsafeBufferPointer<UInt8>

    init(row: Int, width: Int, slots: UnsafeBufferPointer<XLSXRowSlot>, bytes: UnsafeBufferPointer<UInt8>) {
        self.row = row
        self.width = width
        self.slots = slots
        self.bytes = bytes
    }

    /// The cell in `column` (1...width), or nil when it is empty.
    public func cell(column: Int) -> XLSXValueCellBytes? {
        guard column >= 1, column <= width else { return nil }
        let slot = slots[column - 1]
        guard slot.present else { return nil }
        return XLSXValueCellBytes(column: column, kind: slot.kind, numberStyle: slot.numberStyle,
                                  text: UnsafeBufferPointer(rebasing: bytes[slot.start..<slot.end]))
    }

    /// Whether any column right of A holds a value.
    public var hasValues: Bool { slots.dropFirst().contains { $0.present } }

    /// The A1 reference of `column` in this row, e.g. `C7`.
    public func reference(column: Int) -> String { XLSXCellReference.name(row: row, column: column) }
}

/// What one column of the row being gathered holds.
struct XLSXRowSlot: Sendable {
    var present = false
    var kind = XLSXCellKind.number
    var numberStyle = XLSXNumberStyle.plain
    var start = 0, end = 0
}

/// One event of reading workbooks with variable columns (`XLSXReader.readRowsBytes(paths:)`).
public enum XLSXRowEvent {
    /// Row 1 of the file at index `file`, before its other rows.
    case header(file: Int, XLSXHeader)
    /// A row after the header with at least one non-empty cell; valid only during the call.
    case row(file: Int, XLSXRowBytes)
    /// The file at this index has been read to its end (after its last row).
    case endOfFile(Int)
}

/// Work on each row done on the task that assembles the rows (`XLSXReader.readRowsBytes`'s
/// `annotating`), beside the task that consumes them: what it makes of a batch of rows reaches
/// the consumer, as one value, before those rows.
public protocol XLSXRowAnnotator: AnyObject {
    /// Looks at the next row (valid only during the call).
    func add(_ row: XLSXRowBytes)
    /// What it made of the rows added since the last call, in their order.
    func seal() -> any Sendable
}
