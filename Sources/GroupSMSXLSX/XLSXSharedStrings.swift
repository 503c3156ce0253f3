/// The shared-strings table, held as one UTF-8 byte buffer plus end offsets.
///
/// Every `<si>` is one entry (an empty `<si/>` too); rich-text runs are joined untrimmed,
/// phonetic `<rPh>` runs skipped and `_xHHHH_` escapes decoded. Nothing is preallocated from
/// the `count`/`uniqueCount` the file claims; growth stops at the caps in `XLSXReadLimits`.
struct XLSXSharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []

    /// An empty table, for workbooks without shared strings.
    init() {}

    /// Reads the table from `part`.
    init(archive: ZipArchive, part: String, limits: XLSXReadLimits) throws {
        try XLSXPartScanner.scan(archive: archive, part: part, limits: limits) { reader in
            try load(reader, path: archive.path, part: part, limits: limits)
        }
    }

    /// The number of entries.
    var count: Int { ends.count }

    /// Calls `body` with the UTF-8 bytes of entry `index` (which must be in range).
    func withEntry<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        let end = Int(ends[index])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    private mutating func load(_ reader: XMLStreamReader, path: String, part: String, limits: XLSXReadLimits) throws {
        let siName = reader.name("si"), tName = reader.name("t"), rPhName = reader.name("rPh")
        let byteLimit = min(limits.maxSharedStringBytes, Int(UInt32.max))
        var inEntry = false, collecting = false
        var phoneticDepth = 0
        var entryStart = 0
        func closeEntry() throws {
            guard ends.count < limits.maxSharedStrings else {
                throw XLSXError(path: path, part: part, reason: .tooManySharedStrings(limits.maxSharedStrings))
            }
            XLSXTextEscapes.decode(&bytes, from: entryStart)
            ends.append(UInt32(bytes.count))
        }
        while let kind = try reader.next() {
            switch kind {
            case .text:
                if collecting, !reader.appendValue(to: &bytes, limit: byteLimit) {
                    throw XLSXError(path: path, part: part, reason: .sharedStringsTooLarge(limits.maxSharedStringBytes))
                }
            case .element:
                let name = reader.localName
                if name == siName {
                    entryStart = bytes.count
                    if reader.isEmptyElement { try closeEntry() } else { inEntry = true }
                } else if inEntry, name == rPhName, !reader.isEmptyElement {
                    phoneticDepth += 1
                } else if inEntry, name == tName, phoneticDepth == 0, !reader.isEmptyElement {
                    collecting = true
                }
            case .endElement:
                let name = reader.localName
                if name == tName {
                    collecting = false
                } else if name == rPhName, phoneticDepth > 0 {
                    phoneticDepth -= 1
                } else if name == siName, inEntry {
                    inEntry = false
                    phoneticDepth = 0
                    try closeEntry()
                }
            case .other:
                break
            }
        }
    }
}
