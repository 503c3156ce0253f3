/// Where each distinct number was first seen, packed into one word per number so that a
/// million-number job keeps 8 bytes per origin instead of a `String` and a file index.
///
/// Layout: bit 63 clear: file index (bits 40-62), column number (bits 24-39, A = 1) and row
/// (bits 0-23) of an "A1"-style reference. Bit 63 set: file index (bits 40-62) and an index
/// into `otherCells` (bits 0-39) for references that do not fit that form.
struct RecipientCellOrigins {
    private var packed: [UInt64] = []
    private var otherCells: [String] = []

    private static let overflowFlag: UInt64 = 1 << 63

    mutating func append(file: Int, cell: String) {
        let fileBits = UInt64(file) << 40
        if let (column, row) = Self.columnAndRow(cell) {
            packed.append(fileBits | UInt64(column) << 24 | UInt64(row))
        } else {
            packed.append(Self.overflowFlag | fileBits | UInt64(otherCells.count))
            otherCells.append(cell)
        }
    }

    /// Adds cell A`row` of file `file` without a reference string to parse.
    mutating func append(file: Int, columnARow row: Int) {
        guard row > 0, row <= 0xFF_FFFF else { return append(file: file, cell: "A" + String(row)) }
        packed.append(UInt64(file) << 40 | 1 << 24 | UInt64(row))
    }

    /// The file index and cell reference of origin `index`.
    subscript(index: Int) -> (file: Int, cell: String) {
        let word = packed[index]
        let file = Int((word & ~Self.overflowFlag) >> 40)
        if word & Self.overflowFlag != 0 { return (file, otherCells[Int(word & 0xFF_FFFF_FFFF)]) }
        return (file, Self.reference(column: Int((word >> 24) & 0xFFFF), row: Int(word & 0xFF_FFFF)))
    }

    /// "AB12" → (28, 12); nil unless 1-3 capital letters then 1-7 digits without a leading 0.
    private static func columnAndRow(_ cell: String) -> (Int, Int)? {
        cell.utf8.withContiguousStorageIfAvailable(columnAndRow) ?? columnAndRow(Array(cell.utf8))
    }

    private static func columnAndRow<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> (Int, Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in bytes {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") && digits == 0 {
                column = column * 26 + Int(byte - UInt8(ascii: "A") + 1)
                letters += 1
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && letters > 0 {
                if digits == 0 && byte == UInt8(ascii: "0") { return nil }
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return nil
            }
        }
        guard (1...3).contains(letters), (1...7).contains(digits) else { return nil }
        return (column, row)
    }

    private static func reference(column: Int, row: Int) -> String {
        var letters: [UInt8] = []
        var remaining = column
        while remaining > 0 {
            remaining -= 1
            letters.insert(UInt8(ascii: "A") + UInt8(remaining % 26), at: 0)
            remaining /= 26
        }
        return String(decoding: letters, as: UTF8.self) + String(row)
    }
}
