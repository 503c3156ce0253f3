/// Writing the report as the JSON object `groupsms check --json` prints, a chunk at a time, so
/// that a million-number job never holds its whole output text (about 85 MB) at once.
extension RecipientImportReport {
    /// Bytes gathered before they are handed on.
    static let jsonChunkBytes = 64 << 10

    /// Writes the report as one JSON object with its keys sorted, byte for byte what
    /// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` makes of it, handing
    /// `write` chunks of about 64 KiB in order. No newline follows the object. `estimateJSON`,
    /// an already encoded object (`check --template`), is written as the `estimate` member.
    public func writeJSON(estimateJSON: String? = nil, _ write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var text = JSONText(capacity: Self.jsonChunkBytes + 4096)
        defer { text.deallocate() }
        func drain(force: Bool = false) throws {
            guard force || text.count >= Self.jsonChunkBytes else { return }
            try write(text.written)
            text.removeAll()
        }
        text.raw("{\"duplicateEntries\":[")
        // Entries are read in place by index: copying one out of its array would retain and
        // release each of its strings.
        for index in duplicateEntries.indices {
            text.separator(index)
            text.field("{\"cell\":", duplicateEntries[index].cell)
            text.field(",\"file\":", duplicateEntries[index].file)
            text.field(",\"firstCell\":", duplicateEntries[index].firstCell)
            text.field(",\"firstFile\":", duplicateEntries[index].firstFile)
            text.field(",\"number\":", duplicateEntries[index].number)
            text.field(",\"value\":", duplicateEntries[index].value)
            text.raw("}")
            try drain()
        }
        text.raw("],\"duplicates\":")
        text.integer(duplicates)
        if let estimateJSON {
            text.raw(",\"estimate\":")
            text.encoded(estimateJSON)
        }
        text.raw(",\"files\":[")
        for (index, file) in files.enumerated() {
            text.separator(index)
            text.raw("{\"duplicates\":"); text.integer(file.duplicates)
            text.raw(",\"invalid\":"); text.integer(file.invalid)
            text.raw(",\"path\":"); text.string(file.path)
            text.raw(",\"rows\":"); text.integer(file.rows)
            text.raw(",\"valid\":"); text.integer(file.valid)
            text.raw("}")
            try drain()
        }
        text.raw("],\"invalid\":[")
        for index in invalid.indices {
            text.separator(index)
            text.field("{\"cell\":", invalid[index].cell)
            text.field(",\"file\":", invalid[index].file)
            text.field(",\"reason\":", invalid[index].reason)
            text.field(",\"value\":", invalid[index].value)
            text.raw("}")
            try drain()
        }
        text.raw("],\"numbers\":[")
        try numbers.e164Values.withUnsafeBufferPointer { values in
            for index in values.indices {
                text.separator(index)
                text.e164(values[index])
                try drain()
            }
        }
        text.raw("],\"numbersByRegion\":{")
        for (index, region) in numbersByRegion.keys.sorted().enumerated() {
            text.separator(index)
            text.field("", region)
            text.raw(":")
            text.integer(numbersByRegion[region] ?? 0)
        }
        text.raw("},\"valid\":")
        text.integer(valid)
        if let variables {
            text.raw(",\"variables\":{\"header\":[")
            for (index, name) in variables.header.enumerated() {
                text.separator(index)
                text.string(name)
            }
            text.raw("],\"values\":[")
            for (index, set) in variables.valueSetIndices.enumerated() {
                text.separator(index)
                text.raw("[")
                for variable in 0..<variables.valueSets.arity {
                    text.separator(variable)
                    text.string(variables.valueSets.value(Int(set), variable))
                }
                text.raw("]")
                try drain()
            }
            text.raw("]}")
        }
        text.raw(",\"warnings\":[")
        for index in warnings.indices {
            text.separator(index)
            text.field("{\"cell\":", warnings[index].cell)
            text.field(",\"file\":", warnings[index].file)
            // The message as `Warning.message` words it, written from its parts.
            text.raw(",\"message\":\"")
            text.escaped(warnings[index].number)
            text.escaped(NormalizedPhoneNumber.smsWarningLink)
            text.escaped(warnings[index].type.phrase)
            text.escaped(NormalizedPhoneNumber.smsWarningEnd)
            text.raw("\"")
            text.field(",\"number\":", warnings[index].number)
            text.field(",\"type\":", warnings[index].type.rawValue)
            text.field(",\"value\":", warnings[index].value)
            text.raw("}")
            try drain()
        }
        text.raw("]}")
        try drain(force: true)
    }
}

/// JSON text being gathered as UTF-8 bytes, escaped as `JSONEncoder` escapes: `"` and `\`,
/// `\b \t \n \f \r`, other control characters as `\u00xx`; everything else as it is.
///
/// A buffer of its own rather than an array: this runs for every byte of the output, and
/// `Array.append` checks capacity and uniqueness on each call. It grows only for a string
/// longer than the room left (a cell holds at most 256 KiB); `deallocate` frees it.
private struct JSONText {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written since the last `removeAll`.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    /// The bytes written.
    var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    mutating func removeAll() { count = 0 }

    func deallocate() { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + extra))
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = max(capacity * 2, count + extra)
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends JSON that is already encoded, as it is.
    mutating func encoded(_ json: String) {
        var json = json
        json.withUTF8 { append($0) }
    }

    mutating func raw(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func separator(_ index: Int) {
        if index > 0 { append(UInt8(ascii: ",")) }
    }

    /// `prefix` (the punctuation and key before a value) and then `value` as a JSON string.
    mutating func field(_ prefix: StaticString, _ value: String) {
        raw(prefix)
        string(value)
    }

    mutating func integer(_ value: Int) {
        var text = String(value)
        text.withUTF8 { append($0) }
    }

    /// A number in E.164 form as a JSON string: "+" and its digits.
    mutating func e164(_ value: UInt64) {
        reserve(24)
        var digits = 1
        var scale: UInt64 = 10
        while digits < 20 && value >= scale {
            digits += 1
            scale = scale &* 10
        }
        base[count] = UInt8(ascii: "\"")
        base[count + 1] = UInt8(ascii: "+")
        var rest = value
        var index = count + 1 + digits
        repeat {
            base[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        } while rest > 0
        base[count + 2 + digits] = UInt8(ascii: "\"")
        count += digits + 3
    }

    /// `value` as a JSON string, quotes included.
    mutating func string(_ value: String) {
        append(UInt8(ascii: "\""))
        escaped(value)
        append(UInt8(ascii: "\""))
    }

    /// `value` escaped, without quotes.
    mutating func escaped(_ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ escaped($0) }) != nil { return }
        var copy = value  // a bridged or lazily stored string: make it contiguous
        copy.withUTF8 { escaped($0) }
    }

    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let source = UnsafeRawPointer(utf8.baseAddress) else { return }
        var start = 0
        var index = 0
        while index < utf8.count {
            // Eight bytes at a time while none needs escaping (nearly all text).
            if index + 8 <= utf8.count, !Self.needsEscape(source.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                append(UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            index += 1
        }
        append(UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// Whether any byte of `word` is a control character, `"` or `\` (exact, by the
    /// "has a byte less than n" and "has a zero byte" word tests).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let control = (word &- 0x20 &* ones) & ~word & highs != 0
        return control || hasZeroByte(word ^ (0x22 &* ones)) || hasZeroByte(word ^ (0x5C &* ones))
    }

    private mutating func escape(_ byte: UInt8) {
        let short: UInt8? = switch byte {
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        case 0x08: UInt8(ascii: "b")
        case 0x09: UInt8(ascii: "t")
        case 0x0A: UInt8(ascii: "n")
        case 0x0C: UInt8(ascii: "f")
        case 0x0D: UInt8(ascii: "r")
        default: nil
        }
        append(UInt8(ascii: "\\"))
        if let short { return append(short) }
        func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }
        raw("u00")
        append(hex(byte >> 4))
        append(hex(byte & 0xF))
    }
}
