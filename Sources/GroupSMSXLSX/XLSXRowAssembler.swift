/// Gathers the cells of a sheet read with variable columns into its header and rows, checking
/// the layout as it goes (SPEC §7): row 1 is the header, contiguous from A1, with at most
/// `maxVariables` value columns; no later cell right of the header's last column; cells in
/// document order (rows ascending, columns ascending within a row, none repeated).
///
/// A row is handed on once the next row starts (or the sheet ends), so its cells are copied
/// into one reused buffer: a row holds at most the header's width of cells, each within the
/// cell-size limit, whatever the file claims.
struct XLSXRowAssembler {
    private let path: String
    private let part: String
    private let styles: XLSXCellStyles
    private let date1904: Bool
    private let maxVariables: Int
    private var headerCells: [XLSXCell] = []
    private var header: XLSXHeader?
    private var slots: [XLSXRowSlot] = []
    /// Cells in the row being gathered.
    private var filled = 0
    private var bytes: [UInt8] = []
    private var row = 0
    private var lastColumn = 0

    init(path: String, part: String, styles: XLSXCellStyles, date1904: Bool, maxVariables: Int) {
        self.path = path
        self.part = part
        self.styles = styles
        self.date1904 = date1904
        self.maxVariables = maxVariables
    }

    /// Takes the next cell; calls `onHeader` once the header is complete and `onRow` for each
    /// finished row.
    mutating func add(_ cell: XLSXSheetCell, onHeader: (XLSXHeader) throws -> Void,
                      onRow: (XLSXRowBytes) throws -> Void) throws {
        guard cell.row > row || (cell.row == row && cell.column > lastColumn) else {
            // The cells before the refused one come first, the row being gathered with them.
            if header != nil { try flushRow(onRow) }
            throw failure(cell.row, cell.column, .cellOutOfOrder)
        }
        if cell.row == 1 {
            guard cell.column <= maxVariables + 1 else { throw failure(1, cell.column, .tooManyVariableColumns(maxVariables)) }
            headerCells.append(XLSXCell(row: 1, column: cell.column, kind: cell.kind,
                                        text: String(decoding: cell.text, as: UTF8.self)))
        } else {
            if header == nil { try onHeader(try finishHeader(firstRowCell: cell)) }
            if cell.row != row { try flushRow(onRow) }
            try place(cell)
        }
        row = cell.row
        lastColumn = cell.column
    }

    /// Ends the sheet: completes a header that had no rows after it, and hands on the last row.
    mutating func finish(onHeader: (XLSXHeader) throws -> Void, onRow: (XLSXRowBytes) throws -> Void) throws {
        if header == nil, !headerCells.isEmpty { try onHeader(try finishHeader(firstRowCell: nil)) }
        try flushRow(onRow)
    }

    /// Checks the header cells gathered from row 1; `firstRowCell` is the first cell after it.
    private mutating func finishHeader(firstRowCell: XLSXSheetCell?) throws -> XLSXHeader {
        guard let first = headerCells.first, first.column == 1 else {
            // No A1: name A1 itself when row 1 has cells, else the first cell found.
            let (row, column) = headerCells.isEmpty ? (firstRowCell?.row ?? 1, firstRowCell?.column ?? 1) : (1, 1)
            throw failure(row, column, .missingHeader)
        }
        for (index, cell) in headerCells.enumerated() where cell.column != index + 1 {
            throw failure(1, index + 1, .headerGap(nextCell: cell.reference))
        }
        let header = XLSXHeader(cells: headerCells, date1904: date1904)
        self.header = header
        slots = [XLSXRowSlot](repeating: XLSXRowSlot(), count: header.width)
        return header
    }

    /// Copies a cell of a row after the header into the row being gathered.
    private mutating func place(_ cell: XLSXSheetCell) throws {
        let width = slots.count
        guard cell.column <= width else {
            throw failure(cell.row, cell.column,
                          .contentBeyondHeader(XLSXCellBatch.preview(cell.text),
                                               lastHeaderCell: XLSXCellReference.name(row: 1, column: width)))
        }
        let start = bytes.count
        bytes.append(contentsOf: cell.text)
        let style = cell.kind == .number ? styles.style(cell.style) : .plain
        slots[cell.column - 1] = XLSXRowSlot(present: true, kind: cell.kind, numberStyle: style, start: start, end: bytes.count)
        filled += 1
    }

    /// Hands on the row being gathered, if it has cells, and empties it.
    private mutating func flushRow(_ onRow: (XLSXRowBytes) throws -> Void) throws {
        guard filled > 0 else { return }
        let (row, width) = (self.row, slots.count)
        try slots.withUnsafeBufferPointer { slots in
            try bytes.withUnsafeBufferPointer { bytes in
                try onRow(XLSXRowBytes(row: row, width: width, slots: slots, bytes: bytes))
            }
        }
        for index in slots.indices { slots[index].present = false }
        filled = 0
        bytes.removeAll(keepingCapacity: true)
    }

    private func failure(_ row: Int, _ column: Int, _ reason: XLSXError.Reason) -> XLSXError {
        XLSXError(path: path, part: part, cell: XLSXCellReference.name(row: row, column: column), reason: reason)
    }
}
