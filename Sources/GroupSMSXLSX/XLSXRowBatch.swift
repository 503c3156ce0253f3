/// A run of assembled rows in sheet order, handed from the task that resolves and assembles a
/// sheet's cells to the task that consumes its rows (a plain Sendable value, like
/// `XLSXCellBatch`): the file's header when it comes in this batch, each row's cells as slots
/// over one byte buffer, and the refusal that ended the reading, after the rows before it.
struct XLSXRowBatch: Sendable {
    /// Rows per batch.
    static let maxRows = 1024
    /// Text bytes per batch.
    static let maxTextBytes = 256 << 10

    private struct Row: Sendable {
        var row: Int
        /// The row's slots are `slots[firstSlot..<firstSlot + width]`.
        var firstSlot: Int
        var width: Int
    }

    /// The file's header, in the batch whose rows are the first after it.
    var header: XLSXHeader?
    private var rows: [Row] = []
    private var slots: [XLSXRowSlot] = []
    private var bytes: [UInt8] = []
    /// What the caller's `XLSXRowAnnotator` made of these rows, handed over before them.
    var annotation: (any Sendable)?
    /// Why reading the sheet stopped, after the rows above.
    var failure: XLSXError?

    init() {
        rows.reserveCapacity(Self.maxRows)
    }

    /// Whether the next row should go into a new batch.
    var isFull: Bool { rows.count >= Self.maxRows || bytes.count >= Self.maxTextBytes }

    /// Whether the batch carries nothing.
    var isEmpty: Bool { header == nil && rows.isEmpty && failure == nil }

    /// Rows in the batch.
    var count: Int { rows.count }

    /// Adds a copy of `row`.
    mutating func append(_ row: XLSXRowBytes) {
        let offset = bytes.count
        bytes.append(contentsOf: row.bytes)
        rows.append(Row(row: row.row, firstSlot: slots.count, width: row.width))
        for var slot in row.slots {
            slot.start += offset
            slot.end += offset
            slots.append(slot)
        }
    }

    /// Passes the header, then each row (valid only during its call), to `body`; then throws
    /// the batch's failure, if it has one.
    func deliver(_ body: (XLSXHeader) throws -> Void, _ onAnnotation: ((any Sendable) throws -> Void)?,
                 _ onRow: (XLSXRowBytes) throws -> Void) throws {
        if let header { try body(header) }
        if let annotation, let onAnnotation { try onAnnotation(annotation) }
        try slots.withUnsafeBufferPointer { slots in
            try bytes.withUnsafeBufferPointer { bytes in
                for row in rows {
                    let rowSlots = UnsafeBufferPointer(rebasing: slots[row.firstSlot..<row.firstSlot + row.width])
                    try onRow(XLSXRowBytes(row: row.row, width: row.width, slots: rowSlots, bytes: bytes))
                }
            }
        }
        if let failure { throw failure }
    }
}
