import Foundation

/// Streams the cells of one worksheet part into `XLSXCellBatch`es: non-empty column-A cells in
/// document order; the first non-empty cell anywhere else is a refusal. With `allColumns` (for
/// `--variables columns`) every non-empty cell goes into the batch, with its column and style
/// index, for the row reader to check against the header.
///
/// This is the hot loop: the events of a SAX2 push parser (`XMLPushParser`), fed 64 KiB of the
/// inflating part at a time. Names are compared as interned pointers, text is gathered into
/// reused byte buffers, and shared-string cells are passed on by index (resolved with the
/// batch), so the scan needs no table and can run while another task loads it. `fill` returns
/// once a batch is full, keeping its place, so a caller can hand batches over as they fill; a
/// batch can run past its soft caps by what one chunk holds.
final class XLSXSheetScanner: XMLPushHandler {
    /// Which parser reads the sheet.
    enum Parsing {
        /// `XMLSubsetParser`, handing the part over to libxml2 for what it does not read.
        case subsetFirst
        /// libxml2's push parser alone.
        case libxml2
    }

    private var parser: XMLEventParser!
    private var source: XMLByteSource
    /// Opens the part again from its start, for libxml2 to take it over from the subset parser.
    private let reopen: () throws -> XMLByteSource
    /// Drops what the subset parser sent, once libxml2 has taken the part over.
    private var replay: XMLReplayHandler?
    private let maxTagBytes: Int
    private let path: String
    /// The worksheet part's stored name, for messages.
    let part: String
    private let maxCellBytes: Int
    /// Whether cells outside column A are passed on (with their `s` style) instead of refused.
    private let allColumns: Bool
    /// The scan's state, behind a pointer so that the per-event callbacks work on it without
    /// the exclusivity checks that stored class properties cost.
    private let state: UnsafeMutablePointer<ScanState>
    private var finished = false

    /// Starts scanning the worksheet part that `source` inflates; `reopen` reads the part again
    /// from its start, should the subset parser hand it over (`parsing` says which parser reads).
    init(source: XMLByteSource, path: String, part: String, limits: XLSXReadLimits, allColumns: Bool = false,
         reopen: @escaping () throws -> XMLByteSource, parsing: Parsing = .subsetFirst) throws {
        self.source = source
        self.reopen = reopen
        maxTagBytes = limits.maxTagBytes
        self.path = path
        self.part = part
        self.maxCellBytes = limits.maxCellBytes
        self.allColumns = allColumns
        state = .allocate(capacity: 1)
        state.initialize(to: ScanState(cell: PendingCell(valueCapacity: limits.maxCellBytes)))
        super.init()
        if parsing == .subsetFirst {
            parser = XMLSubsetParser(source: source, handler: self, path: path, part: part, maxTagBytes: limits.maxTagBytes)
        } else {
            parser = try XMLPushParser(source: source, handler: self, path: path, part: part, maxTagBytes: limits.maxTagBytes)
        }
        state.pointee.names = SheetNames(parser)
        state.pointee.cell.inline.reserveCapacity(64)
    }

    deinit {
        state.pointee.cell.value.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The element names the scan looks at, interned in the parser's dictionary.
    private struct SheetNames {
        var sheetData = XMLName(pointer: nil), row = XMLName(pointer: nil), c = XMLName(pointer: nil)
        var v = XMLName(pointer: nil), inlineString = XMLName(pointer: nil), t = XMLName(pointer: nil)
        var phonetic = XMLName(pointer: nil), formula = XMLName(pointer: nil), r = XMLName(pointer: nil)
        var s = XMLName(pointer: nil)

        init() {}

        init(_ parser: XMLEventParser) {
            sheetData = parser.name("sheetData"); row = parser.name("row"); c = parser.name("c")
            v = parser.name("v"); inlineString = parser.name("is"); t = parser.name("t")
            phonetic = parser.name("rPh"); formula = parser.name("f"); r = parser.name("r")
            s = parser.name("s")
        }
    }

    /// The scan's position: which elements it is in, the cell being gathered, the batch being
    /// filled (only while `fill` runs) and the refusal that stopped the scan.
    private struct ScanState {
        var names = SheetNames()
        var inSheetData = false, inCell = false, inInline = false
        var collecting = 0  // 0 nothing, 1 the <v> value, 2 inline-string text
        var phoneticDepth = 0
        var row = 0, column = 0
        var cell: PendingCell
        var sheetEnded = false
        var failure: XLSXError?
        var batch: UnsafeMutablePointer<XLSXCellBatch>?
    }

    /// Everything gathered between `<c>` and `</c>`.
    private struct PendingCell {
        var row = 0, column = 0
        /// The `s` attribute (cell format index), read only when all columns are passed on.
        var style = 0
        var type = XLSXStoredCellType.number
        var hasValue = false, hasInline = false, hasFormula = false
        /// The `<v>` text: what nearly every cell holds, so it gets the fixed buffer.
        var value: XLSXScanBuffer
        /// Inline-string text (and a formula string's, to decode its escapes): rare, an array.
        var inline: [UInt8] = []

        init(valueCapacity: Int) {
            value = XLSXScanBuffer(capacity: valueCapacity)
        }

        mutating func reset() {
            type = .number
            style = 0
            hasValue = false; hasInline = false; hasFormula = false
            value.removeAll()
            if !inline.isEmpty { inline.removeAll(keepingCapacity: true) }
        }
    }

    /// How a `fill` stopped.
    enum FillOutcome {
        /// The batch is full and the sheet goes on.
        case batchFull
        /// The sheet has ended, or a failure (in `batch.failure`) ended the scan.
        case ended
        /// The source has no bytes yet (`XMLByteSource.isReady`): fill again once it has.
        case waitingForBytes
    }

    /// Scans on until `batch` is full, the sheet ends or the source has no bytes ready.
    /// A failure is stored in `batch.failure` (after the cells before it) and ends the scan.
    func fill(_ batch: inout XLSXCellBatch) -> FillOutcome {
        guard !finished else { return .ended }
        var waiting = false
        // A task can resume on another thread between batches: silence libxml2's per-thread
        // default error output there too (the parser's own handler still records every error).
        XMLRuntime.prepareThread()
        let more = withUnsafeMutablePointer(to: &batch) { batch in
            state.pointee.batch = batch
            defer { state.pointee.batch = nil }
            do {
                while !batch.pointee.isFull {
                    guard source.isReady else {
                        waiting = true
                        return true
                    }
                    do {
                        guard try parser.parseNextChunk() else { return false }
                    } catch let handOver as XMLSubsetParser.HandOver {
                        try takeOverWithLibxml2(after: handOver)
                    }
                }
                return true
            } catch {
                if state.pointee.failure == nil {
                    state.pointee.failure = error as? XLSXError
                        ?? XLSXError(path: path, part: part, reason: .malformedXML(line: parser.lineNumber, detail: "\(error)"))
                }
                return false
            }
        }
        if let failure = state.pointee.failure {
            batch.failure = failure
            finished = true
            return .ended
        }
        if !more || state.pointee.sheetEnded { finished = true }
        if finished { return .ended }
        return waiting ? .waitingForBytes : .batchFull
    }

    /// Parses the part again from its start with libxml2, passing on only what comes after
    /// the events the subset parser sent.
    private func takeOverWithLibxml2(after handOver: XMLSubsetParser.HandOver) throws {
        source = try reopen()
        let replay = XMLReplayHandler(target: self, after: handOver)
        parser = try XMLPushParser(source: source, handler: replay, path: path, part: part, maxTagBytes: maxTagBytes)
        self.replay = replay
        state.pointee.names = SheetNames(parser)
    }

    // MARK: - Parser events

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) -> Bool {
        let names = state.pointee.names
        if state.pointee.inCell {
            if name == names.v {
                state.pointee.cell.hasValue = true
                state.pointee.collecting = 1
            } else if name == names.inlineString {
                state.pointee.cell.hasInline = true
                state.pointee.inInline = true
            } else if name == names.t {
                if state.pointee.inInline, state.pointee.phoneticDepth == 0 { state.pointee.collecting = 2 }
            } else if name == names.phonetic {
                if state.pointee.inInline { state.pointee.phoneticDepth += 1 }
            } else if name == names.formula {
                state.pointee.cell.hasFormula = true
            }
        } else if state.pointee.inSheetData, name == names.c {
            let (row, column) = (state.pointee.row, state.pointee.column)
            return guarded {
                state.pointee.cell.reset()
                try readCellAttributes(&state.pointee.cell, attributes, row: row, previousColumn: column)
                state.pointee.row = state.pointee.cell.row
                state.pointee.column = state.pointee.cell.column
                state.pointee.inCell = true
            }
        } else if state.pointee.inSheetData, name == names.row {
            let previous = state.pointee.row
            return guarded {
                state.pointee.row = try readRowNumber(attributes, after: previous)
                state.pointee.column = 0
            }
        } else if name == names.sheetData {
            state.pointee.inSheetData = true
        }
        return true
    }

    override func endElement(_ name: XMLName) -> Bool {
        let names = state.pointee.names
        if state.pointee.inCell {
            if name == names.c {
                state.pointee.inCell = false; state.pointee.inInline = false
                state.pointee.collecting = 0; state.pointee.phoneticDepth = 0
                guard let batch = state.pointee.batch else { return false }
                return guarded { try finish(&state.pointee.cell, into: &batch.pointee) }
            } else if name == names.v || name == names.t {
                state.pointee.collecting = 0
            } else if name == names.phonetic, state.pointee.phoneticDepth > 0 {
                state.pointee.phoneticDepth -= 1
            } else if name == names.inlineString {
                state.pointee.inInline = false
            }
        } else if name == names.sheetData {
            state.pointee.sheetEnded = true  // nothing after sheetData holds cell values
            return false
        }
        return true
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch state.pointee.collecting {
        case 0: return true
        case 1: guard state.pointee.cell.value.append(bytes) else { break }
            return true
        default: guard state.pointee.cell.inline.count + bytes.count <= maxCellBytes else { break }
            state.pointee.cell.inline.append(contentsOf: bytes)
            return true
        }
        state.pointee.failure = failure(state.pointee.cell, .cellTooLong(maxCellBytes))
        return false
    }

    /// Runs `body`; a refusal it throws is kept as the scan's failure and stops the parse.
    private func guarded(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            state.pointee.failure = error as? XLSXError
                ?? XLSXError(path: path, part: part, reason: .malformedXML(line: parser.lineNumber, detail: "\(error)"))
            return false
        }
    }

    /// Reads `r` and `t` of a `<c>`; a cell without `r` follows the previous one in its row.
    private func readCellAttributes(_ cell: inout PendingCell, _ attributes: XMLAttributes, row: Int,
                                    previousColumn: Int) throws {
        let names = state.pointee.names
        cell.row = max(row, 1)
        cell.column = previousColumn + 1
        let (reference, type, style) = attributes.values(names.r, names.t, names.s)
        if let reference {
            guard let parsed = XLSXCellReference.parse(reference) else {
                throw XLSXError(path: path, part: part, reason: .invalidCellReference(XLSXScanText.string(reference)))
            }
            cell.column = parsed.column
            if parsed.row > 0 { cell.row = parsed.row }
        }
        if let type {
            guard let stored = XLSXStoredCellType(type) else { throw failure(cell, .unknownCellType(XLSXScanText.string(type))) }
            cell.type = stored
        }
        // A style index that is not a number is read as the default format, as Excel does.
        if allColumns, let style { cell.style = XLSXScanText.index(style) ?? 0 }
    }

    /// Reads a `<row>`'s `r`; a row without one follows the previous row.
    private func readRowNumber(_ attributes: XMLAttributes, after previous: Int) throws -> Int {
        guard let reference = attributes.value(state.pointee.names.r) else { return previous + 1 }
        guard let row = XLSXCellReference.parseRow(reference) else {
            throw XLSXError(path: path, part: part, reason: .invalidCellReference(XLSXScanText.string(reference)))
        }
        return row
    }

    /// Checks a finished cell: a non-empty column-A value goes into `batch`, content anywhere
    /// else is refused; a shared-string cell goes in by index, to be checked when resolved.
    private func finish(_ cell: inout PendingCell, into batch: inout XLSXCellBatch) throws {
        let kind: XLSXCellKind
        switch cell.type {
        case .shared:
            guard cell.hasValue, let index = XLSXScanText.index(cell.value.bytes) else {
                throw failure(cell, .missingSharedStringIndex)
            }
            batch.appendShared(row: cell.row, column: cell.column, index: index)
            return
        case .inline:
            kind = .inlineString
            if !cell.hasInline { cell.inline = Array(cell.value.bytes) }  // some writers use <v> here
            XLSXTextEscapes.decode(&cell.inline)
        case .number where cell.hasInline && !cell.hasValue:
            // A cell holding <is> without t="inlineStr" is read as the inline string it is.
            kind = .inlineString
            XLSXTextEscapes.decode(&cell.inline)
        case .formula:
            kind = .formulaString
            cell.inline = Array(cell.value.bytes)
            XLSXTextEscapes.decode(&cell.inline)
        case .number: kind = .number
        case .boolean: kind = .boolean
        case .error: kind = .error
        case .date: kind = .date
        }
        // String kinds hold their text in `inline` (decoded above), untrimmed; the rest in `value`.
        if kind == .inlineString || kind == .formulaString {
            try cell.inline.withUnsafeBufferPointer { try pass(cell, kind, text: $0, formula: false, into: &batch) }
        } else {
            try pass(cell, kind, text: XLSXScanText.trimmed(cell.value.bytes), formula: cell.hasFormula, into: &batch)
        }
    }

    /// Puts a finished cell's text into `batch` when its column is passed on, else refuses
    /// content outside column A.
    private func pass(_ cell: PendingCell, _ kind: XLSXCellKind, text: UnsafeBufferPointer<UInt8>, formula: Bool,
                      into batch: inout XLSXCellBatch) throws {
        let (row, column) = (cell.row, cell.column)
        if column == 1 || allColumns {
            if !text.isEmpty {
                batch.append(row: row, column: column, kind: kind, style: cell.style, text: text)
            } else if formula {
                // A formula whose saved result is missing would otherwise vanish without a trace.
                throw failure(row: row, column: column, .formulaWithoutValue)
            }
        } else if !text.isEmpty || formula {
            throw failure(row: row, column: column, .contentOutsideColumnA(XLSXCellBatch.preview(text)))
        }
    }

    private func failure(_ cell: PendingCell, _ reason: XLSXError.Reason) -> XLSXError {
        failure(row: cell.row, column: cell.column, reason)
    }

    private func failure(row: Int, column: Int, _ reason: XLSXError.Reason) -> XLSXError {
        XLSXError(path: path, part: part, cell: XLSXCellReference.name(row: row, column: column), reason: reason)
    }
}
