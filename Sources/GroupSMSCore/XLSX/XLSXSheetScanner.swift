import Foundation

/// Streams the cells of one worksheet part: yields non-empty column-A cells in document order and
/// refuses the first non-empty cell anywhere else.
///
/// This is the hot loop. Names are compared as interned pointers, text is gathered into reused
/// byte buffers, and a Swift `String` is made only for a column-A value that is yielded.
struct XLSXSheetScanner {
    private let reader: XMLStreamReader
    private let sharedStrings: XLSXSharedStrings
    private let path: String
    private let part: String
    private let maxCellBytes: Int

    init(reader: XMLStreamReader, sharedStrings: XLSXSharedStrings, path: String, part: String, limits: XLSXReadLimits) {
        self.reader = reader
        self.sharedStrings = sharedStrings
        self.path = path
        self.part = part
        self.maxCellBytes = limits.maxCellBytes
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

    func run(_ body: (XLSXCell) throws -> Void) throws {
        let sheetData = reader.name("sheetData"), rowName = reader.name("row"), cName = reader.name("c")
        let vName = reader.name("v"), isName = reader.name("is"), tName = reader.name("t")
        let rPhName = reader.name("rPh"), fName = reader.name("f"), rName = reader.name("r")
        var inSheetData = false, inCell = false, inInline = false
        var collecting = 0  // 0 nothing, 1 the <v> value, 2 inline-string text
        var phoneticDepth = 0
        var row = 0, column = 0
        var cell = PendingCell()
        cell.value.reserveCapacity(64)
        cell.inline.reserveCapacity(64)

        while let kind = try reader.next() {
            switch kind {
            case .text:
                guard collecting != 0 else { continue }
                let fits = collecting == 1
                    ? reader.appendValue(to: &cell.value, limit: maxCellBytes)
                    : reader.appendValue(to: &cell.inline, limit: maxCellBytes)
                if !fits { throw failure(cell, .cellTooLong(maxCellBytes)) }
            case .element:
                let name = reader.localName
                if inCell {
                    if name == vName {
                        cell.hasValue = true
                        if !reader.isEmptyElement { collecting = 1 }
                    } else if name == isName {
                        cell.hasInline = true
                        inInline = !reader.isEmptyElement
                    } else if name == tName {
                        if inInline, phoneticDepth == 0, !reader.isEmptyElement { collecting = 2 }
                    } else if name == rPhName {
                        if inInline, !reader.isEmptyElement { phoneticDepth += 1 }
                    } else if name == fName {
                        cell.hasFormula = true
                    }
                } else if inSheetData, name == cName {
                    cell.reset()
                    try readCellAttributes(&cell, row: row, previousColumn: column, rName: rName, tName: tName)
                    row = cell.row
                    column = cell.column
                    if reader.isEmptyElement { try finish(&cell, body) } else { inCell = true }
                } else if inSheetData, name == rowName {
                    row = try readRowNumber(after: row, rName: rName)
                    column = 0
                } else if name == sheetData {
                    inSheetData = !reader.isEmptyElement
                }
            case .endElement:
                let name = reader.localName
                if inCell {
                    if name == cName {
                        inCell = false; inInline = false; collecting = 0; phoneticDepth = 0
                        try finish(&cell, body)
                    } else if name == vName || name == tName {
                        collecting = 0
                    } else if name == rPhName, phoneticDepth > 0 {
                        phoneticDepth -= 1
                    } else if name == isName {
                        inInline = false
                    }
                } else if name == sheetData {
                    return  // nothing after sheetData holds cell values
                }
            case .other:
                continue
            }
        }
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

    /// Resolves a finished cell: yields it from column A, refuses content anywhere else.
    private func finish(_ cell: inout PendingCell, _ body: (XLSXCell) throws -> Void) throws {
        let kind: XLSXCellKind
        switch cell.type {
        case .shared:
            guard cell.hasValue, let index = Self.parseIndex(cell.value) else {
                throw failure(cell, .missingSharedStringIndex)
            }
            guard index < sharedStrings.count else {
                throw failure(cell, .sharedStringIndexOutOfRange(index: index, count: sharedStrings.count))
            }
            let (row, column) = (cell.row, cell.column)
            try sharedStrings.withEntry(index) { text in
                try emit(row: row, column: column, kind: .sharedString, text: text, formula: false, body)
            }
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
        let bytes = kind == .inlineString ? cell.inline : cell.value
        let (row, column, formula) = (cell.row, cell.column, cell.hasFormula && !isString)
        try bytes.withUnsafeBufferPointer { text in
            let text = isString ? text : Self.trimmed(text)
            try emit(row: row, column: column, kind: kind, text: text, formula: formula, body)
        }
    }

    /// Yields a column-A value; refuses content elsewhere. `formula` marks a formula cell whose
    /// result is not text, so an empty value means its result was never saved.
    private func emit(row: Int, column: Int, kind: XLSXCellKind, text: UnsafeBufferPointer<UInt8>,
                      formula: Bool, _ body: (XLSXCell) throws -> Void) throws {
        if column == 1 {
            if text.isEmpty {
                // A formula whose saved result is missing would otherwise vanish without a trace.
                if formula { throw failure(row: row, column: column, .formulaWithoutValue) }
                return
            }
            try body(XLSXCell(row: row, column: 1, kind: kind, text: String(decoding: text, as: UTF8.self)))
        } else if !text.isEmpty || formula {
            throw failure(row: row, column: column, .contentOutsideColumnA(Self.preview(text)))
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

    private static func preview(_ text: UnsafeBufferPointer<UInt8>) -> String {
        guard !text.isEmpty else { return "a formula" }
        let string = String(decoding: text, as: UTF8.self)
        let short = string.count > 24 ? String(string.prefix(24)) + "…" : string
        // Keep the message on one line: show control characters as escapes.
        let visible = short.unicodeScalars.map { $0.value < 0x20 ? $0.escaped(asASCII: false) : String($0) }.joined()
        return "\"" + visible + "\""
    }
}
