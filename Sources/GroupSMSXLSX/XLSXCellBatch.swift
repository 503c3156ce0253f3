/// A run of scanned cells in document order, handed from the sheet scan to whoever resolves
/// and consumes them (the same task, or another one: the batch is a plain Sendable value).
///
/// Cells whose text is in the sheet are checked as they are scanned (only non-empty column-A
/// values get here); shared-string cells carry their index and are checked when resolved,
/// because whether a cell outside column A is empty depends on the table. A scan failure travels
/// as `failure`, after the cells that came before it, so errors keep document order.
struct XLSXCellBatch: Sendable {
    /// Cells per batch: small enough to hand over often, large enough that handing over is cheap.
    static let maxCells = 2048
    /// Text bytes per batch (a batch closes early when its cells hold long text).
    static let maxTextBytes = 256 << 10

    private struct Entry: Sendable {
        var row: Int32
        var column: Int32
        var kind: XLSXCellKind
        /// The cell format index (`s`), kept only when the scan passes on all columns.
        var style: Int32
        /// The shared-string index, or the end of this cell's text in `text`.
        var value: Int
    }

    private var entries: [Entry] = []
    private var text: [UInt8] = []
    /// The error that ended the scan, after the cells above.
    var failure: XLSXError?

    /// Whether another cell should go into a new batch.
    var isFull: Bool { entries.count >= Self.maxCells || text.count >= Self.maxTextBytes }

    /// An empty batch with room for a full one.
    init() {
        entries.reserveCapacity(Self.maxCells)
    }

    /// Empties the batch for reuse, keeping its storage.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        failure = nil
    }

    /// Adds a non-empty value whose text is in the sheet (column A, or any column when the scan
    /// passes on all of them).
    mutating func append(row: Int, column: Int, kind: XLSXCellKind, style: Int, text value: UnsafeBufferPointer<UInt8>) {
        text.append(contentsOf: value)
        entries.append(Entry(row: Int32(row), column: Int32(column), kind: kind, style: Int32(clamping: style),
                             value: text.count))
    }

    /// Adds a shared-string cell (any column) to be resolved against the table.
    mutating func appendShared(row: Int, column: Int, index: Int) {
        entries.append(Entry(row: Int32(row), column: Int32(column), kind: .sharedString, style: 0, value: index))
    }

    /// Resolves the cells in order, calling `body` for each non-empty column-A value; throws
    /// for a shared-string cell whose index is out of range or whose text stands outside
    /// column A, and finally throws `failure` if the scan stopped with one.
    func deliver(_ sharedStrings: XLSXSharedStrings, path: String, part: String,
                 _ body: (XLSXCell) throws -> Void) throws {
        try deliverBytes(sharedStrings, path: path, part: part) { try body($0.cell) }
    }

    /// `deliver`, handing over each cell's text as the bytes it is held in (no `String` made).
    func deliverBytes(_ sharedStrings: XLSXSharedStrings, path: String, part: String,
                      _ body: (XLSXCellBytes) throws -> Void) throws {
        var textStart = 0
        try text.withUnsafeBufferPointer { text in
            for entry in entries {
                let row = Int(entry.row)
                guard entry.kind == .sharedString else {
                    let cellText = UnsafeBufferPointer(rebasing: text[textStart..<entry.value])
                    textStart = entry.value
                    try body(XLSXCellBytes(row: row, kind: entry.kind, text: cellText))
                    continue
                }
                let column = Int(entry.column)
                guard entry.value < sharedStrings.count else {
                    throw XLSXError(path: path, part: part, cell: XLSXCellReference.name(row: row, column: column),
                                    reason: .sharedStringIndexOutOfRange(index: entry.value, count: sharedStrings.count))
                }
                try sharedStrings.withEntry(entry.value) { value in
                    guard !value.isEmpty else { return }
                    guard column == 1 else {
                        throw XLSXError(path: path, part: part, cell: XLSXCellReference.name(row: row, column: column),
                                        reason: .contentOutsideColumnA(Self.preview(value)))
                    }
                    try body(XLSXCellBytes(row: row, kind: .sharedString, text: value))
                }
            }
        }
        if let failure { throw failure }
    }

    /// Resolves the cells in order for a scan that passes on all columns, calling `body` for
    /// each non-empty cell of any column (empty shared strings are skipped); throws for a
    /// shared-string index out of range, and finally throws `failure` if the scan stopped with one.
    func deliverAllColumns(_ sharedStrings: XLSXSharedStrings, path: String, part: String,
                           _ body: (XLSXSheetCell) throws -> Void) throws {
        var textStart = 0
        try text.withUnsafeBufferPointer { text in
            for entry in entries {
                let (row, column) = (Int(entry.row), Int(entry.column))
                guard entry.kind == .sharedString else {
                    let cellText = UnsafeBufferPointer(rebasing: text[textStart..<entry.value])
                    textStart = entry.value
                    try body(XLSXSheetCell(row: row, column: column, kind: entry.kind, style: Int(entry.style), text: cellText))
                    continue
                }
                guard entry.value < sharedStrings.count else {
                    throw XLSXError(path: path, part: part, cell: XLSXCellReference.name(row: row, column: column),
                                    reason: .sharedStringIndexOutOfRange(index: entry.value, count: sharedStrings.count))
                }
                try sharedStrings.withEntry(entry.value) { value in
                    guard !value.isEmpty else { return }
                    try body(XLSXSheetCell(row: row, column: column, kind: .sharedString, style: 0, text: value))
                }
            }
        }
        if let failure { throw failure }
    }

    /// A short one-line preview of a cell's text for messages ("a formula" when it has none).
    static func preview(_ text: UnsafeBufferPointer<UInt8>) -> String {
        guard !text.isEmpty else { return "a formula" }
        let string = String(decoding: text, as: UTF8.self)
        let short = string.count > 24 ? String(string.prefix(24)) + "…" : string
        // Keep the message on one line: show control characters as escapes.
        let visible = short.unicodeScalars.map { $0.value < 0x20 ? $0.escaped(asASCII: false) : String($0) }.joined()
        return "\"" + visible + "\""
    }
}

/// A non-empty cell of any column as a scan that passes on all columns yields it; `text` is
/// valid only during the call it is passed to.
struct XLSXSheetCell {
    let row: Int
    let column: Int
    let kind: XLSXCellKind
    /// The cell format index (`s`), 0 when absent.
    let style: Int
    let text: UnsafeBufferPointer<UInt8>
}
