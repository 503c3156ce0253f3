import Foundation

/// Streams the cells of one worksheet part into `XLSXCellBatch`es: non-empty column-A cells in
/// document order; the first non-empty cell anywhere else is a refusal.
///
/// This is the hot loop. Names are compared as interned pointers, text is gathered into reused
/// byte buffers, and shared-string cells are passed on by index (resolved with the batch), so
/// the scan needs no table and can run while another task loads it. `fill` returns after each
/// batch, keeping its place, so a caller can hand batches over as they fill.
final class XLSXSheetScanner {
    private let reader: XMLStreamReader
    private let path: String
    /// The worksheet part's stored name, for messages.
    let part: String
    private let maxCellBytes: Int
    private let sheetData: XMLName, rowName: XMLName, cName: XMLName, vName: XMLName, isName: XMLName
    private let tName: XMLName, rPhName: XMLName, fName: XMLName, rName: XMLName
    /// Where the scan is between `fill` calls; moved into a local while scanning, so the hot
    /// loop works on a local value rather than on class storage.
    private var saved = ScanState()
    private var finished = false

    init(reader: XMLStreamReader, path: String, part: String, limits: XLSXReadLimits) {
        self.reader = reader
        self.path = path
        self.part = part
        self.maxCellBytes = limits.maxCellBytes
        sheetData = reader.name("sheetData"); rowName = reader.name("row"); cName = reader.name("c")
        vName = reader.name("v"); isName = reader.name("is"); tName = reader.name("t")
        rPhName = reader.name("rPh"); fName = reader.name("f"); rName = reader.name("r")
        saved.cell.value.reserveCapacity(64)
        saved.cell.inline.reserveCapacity(64)
    }

    /// The scan's position: which elements it is in and the cell being gathered.
    private struct ScanState {
        var inSheetData = false, inCell = false, inInline = false
        var collecting = 0  // 0 nothing, 1 the <v> value, 2 inline-string text
        var phoneticDepth = 0
        var row = 0, column = 0
        var cell = PendingCell()
    }

    /// The `t=` attribute of a cell.
    private enum StoredType {
        case number, shared, inline, formula, boolean, error, date
    }

    /// Everything gathered between `<c>` and `</c>`.
    private struct PendingCell {
        var row = 0, column = 0
        var type = StoredType.number
        var hasValue = false, hasInline = false, hasFormula = false
        var value: [UInt8] = []
        var inline: [UInt8] = []

        mutating func reset() {
            type = .number
            hasValue = false; hasInline = false; hasFormula = false
            value.removeAll(keepingCapacity: true)
            inline.removeAll(keepingCapacity: true)
        }
    }

    /// Scans on until `batch` is full or the sheet ends; true when there is more to scan.
    /// A failure is stored in `batch.failure` (after the cells before it) and ends the scan.
    func fill(_ batch: inout XLSXCellBatch) -> Bool {
        guard !finished else { return false }
        var state = ScanState()
        swap(&state, &saved)
        defer { swap(&state, &saved) }
        // A task can resume on another thread between batches: silence libxml2's per-thread
        // default error output there too (the reader's own handler still records every error).
        XMLRuntime.prepareThread()
        do {
            while !batch.isFull {
                guard try step(&state, &batch) else {
                    finished = true
                    return false
                }
            }
            return true
        } catch {
            finished = true
            batch.failure = error as? XLSXError
                ?? XLSXError(path: path, part: part, reason: .malformedXML(line: reader.lineNumber, detail: "\(error)"))
            return false
        }
    }

    /// Handles one node; false at the end of the cell data.
    private func step(_ state: inout ScanState, _ batch: inout XLSXCellBatch) throws -> Bool {
        guard let kind = try reader.next() else { return false }
        switch kind {
        case .text:
            guard state.collecting != 0 else { return true }
            let fits = state.collecting == 1
                ? reader.appendValue(to: &state.cell.value, limit: maxCellBytes)
                : reader.appendValue(to: &state.cell.inline, limit: maxCellBytes)
            if !fits { throw failure(state.cell, .cellTooLong(maxCellBytes)) }
        case .element:
            let name = reader.localName
            if state.inCell {
                if name == vName {
                    state.cell.hasValue = true
                    if !reader.isEmptyElement { state.collecting = 1 }
                } else if name == isName {
                    state.cell.hasInline = true
                    state.inInline = !reader.isEmptyElement
                } else if name == tName {
                    if state.inInline, state.phoneticDepth == 0, !reader.isEmptyElement { state.collecting = 2 }
                } else if name == rPhName {
                    if state.inInline, !reader.isEmptyElement { state.phoneticDepth += 1 }
                } else if name == fName {
                    state.cell.hasFormula = true
                }
            } else if state.inSheetData, name == cName {
                state.cell.reset()
                try readCellAttributes(&state.cell, row: state.row, previousColumn: state.column, rName: rName, tName: tName)
                state.row = state.cell.row
                state.column = state.cell.column
                if reader.isEmptyElement { try finish(&state.cell, into: &batch) } else { state.inCell = true }
            } else if state.inSheetData, name == rowName {
                state.row = try readRowNumber(after: state.row, rName: rName)
                state.column = 0
            } else if name == sheetData {
                state.inSheetData = !reader.isEmptyElement
            }
        case .endElement:
            let name = reader.localName
            if state.inCell {
                if name == cName {
                    state.inCell = false; state.inInline = false; state.collecting = 0; state.phoneticDepth = 0
                    try finish(&state.cell, into: &batch)
                } else if name == vName || name == tName {
                    state.collecting = 0
                } else if name == rPhName, state.phoneticDepth > 0 {
                    state.phoneticDepth -= 1
                } else if name == isName {
                    state.inInline = false
                }
            } else if name == sheetData {
                return false  // nothing after sheetData holds cell values
            }
        case .other:
            break
        }
        return true
    }

    /// Reads `r` and `t` of a `<c>`; a cell without `r` follows the previous one in its row.
    private func readCellAttributes(_ cell: inout PendingCell, row: Int, previousColumn: Int,
                                    rName: XMLName, tName: XMLName) throws {
        cell.row = max(row, 1)
        cell.column = previousColumn + 1
        switch reader.attribute(rName, { XLSXCellReference.parse($0) }) {
        case .none:
            break
        case .some(.none):
            throw XLSXError(path: path, part: part, reason: .invalidCellReference(attributeText(rName)))
        case .some(.some(let parsed)):
            cell.column = parsed.column
            if parsed.row > 0 { cell.row = parsed.row }
        }
        switch reader.attribute(tName, { Self.storedType($0) }) {
        case .none: break
        case .some(.none): throw failure(cell, .unknownCellType(attributeText(tName)))
        case .some(.some(let type)): cell.type = type
        }
    }

    /// Reads a `<row>`'s `r`; a row without one follows the previous row.
    private func readRowNumber(after previous: Int, rName: XMLName) throws -> Int {
        switch reader.attribute(rName, { XLSXCellReference.parseRow($0) }) {
        case .none: return previous + 1
        case .some(.none): throw XLSXError(path: path, part: part, reason: .invalidCellReference(attributeText(rName)))
        case .some(.some(let row)): return row
        }
    }

    private func attributeText(_ name: XMLName) -> String {
        reader.attribute(name) { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    private static func storedType(_ value: UnsafeBufferPointer<UInt8>) -> StoredType? {
        switch value.count {
        case 0: return .number
        case 1:
            switch value[0] {
            case UInt8(ascii: "n"): return .number
            case UInt8(ascii: "s"): return .shared
            case UInt8(ascii: "b"): return .boolean
            case UInt8(ascii: "e"): return .error
            case UInt8(ascii: "d"): return .date
            default: return nil
            }
        case 3 where value[0] == UInt8(ascii: "s") && value[1] == UInt8(ascii: "t") && value[2] == UInt8(ascii: "r"):
            return .formula
        case 9 where memcmp(value.baseAddress!, "inlineStr", 9) == 0:
            return .inline
        default:
            return nil
        }
    }

    /// Checks a finished cell: a non-empty column-A value goes into `batch`, content anywhere
    /// else is refused; a shared-string cell goes in by index, to be checked when resolved.
    private func finish(_ cell: inout PendingCell, into batch: inout XLSXCellBatch) throws {
        let kind: XLSXCellKind
        switch cell.type {
        case .shared:
            guard cell.hasValue, let index = Self.parseIndex(cell.value) else {
                throw failure(cell, .missingSharedStringIndex)
            }
            batch.appendShared(row: cell.row, column: cell.column, index: index)
            return
        case .inline:
            kind = .inlineString
            if !cell.hasInline { swap(&cell.inline, &cell.value) }  // some writers use <v> here
            XLSXTextEscapes.decode(&cell.inline)
        case .number where cell.hasInline && !cell.hasValue:
            // A cell holding <is> without t="inlineStr" is read as the inline string it is.
            kind = .inlineString
            XLSXTextEscapes.decode(&cell.inline)
        case .formula:
            kind = .formulaString
            XLSXTextEscapes.decode(&cell.value)
        case .number: kind = .number
        case .boolean: kind = .boolean
        case .error: kind = .error
        case .date: kind = .date
        }
        let isString = kind == .inlineString || kind == .formulaString
        let (row, column, formula) = (cell.row, cell.column, cell.hasFormula && !isString)
        let bytes = kind == .inlineString ? cell.inline : cell.value
        try bytes.withUnsafeBufferPointer { text in
            let text = isString ? text : Self.trimmed(text)
            if column == 1 {
                if !text.isEmpty {
                    batch.append(row: row, kind: kind, text: text)
                } else if formula {
                    // A formula whose saved result is missing would otherwise vanish without a trace.
                    throw failure(row: row, column: column, .formulaWithoutValue)
                }
            } else if !text.isEmpty || formula {
                throw failure(row: row, column: column, .contentOutsideColumnA(XLSXCellBatch.preview(text)))
            }
        }
    }

    private func failure(_ cell: PendingCell, _ reason: XLSXError.Reason) -> XLSXError {
        failure(row: cell.row, column: cell.column, reason)
    }

    private func failure(row: Int, column: Int, _ reason: XLSXError.Reason) -> XLSXError {
        XLSXError(path: path, part: part, cell: XLSXCellReference.name(row: row, column: column), reason: reason)
    }

    private static func parseIndex(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { parseIndex($0) }
    }

    private static func parseIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let digits = trimmed(bytes)
        guard !digits.isEmpty, digits.count <= 10 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
