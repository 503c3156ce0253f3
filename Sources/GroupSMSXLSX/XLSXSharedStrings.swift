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
        let stream = try archive.open(part, maxBytes: limits.maxPartBytes)
        let loader = try XLSXSharedStringsLoader(source: stream, path: archive.path, part: stream.part, limits: limits)
        (bytes, ends) = try loader.load()
    }

    /// The number of entries.
    var count: Int { ends.count }

    /// Calls `body` with the UTF-8 bytes of entry `index` (which must be in range).
    func withEntry<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        let end = Int(ends[index])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}

/// Builds the table from a SAX2 push parse of the part: the parser's events append each
/// `<si>`'s text to one buffer and close it with its end offset.
private final class XLSXSharedStringsLoader: XMLPushHandler {
    private var parser: XMLPushParser!
    private let path: String
    private let part: String
    private let limits: XLSXReadLimits
    private let byteLimit: Int
    /// The table being built and the parse position, behind a pointer so that the per-event
    /// callbacks work on it without the exclusivity checks of stored class properties.
    private let state: UnsafeMutablePointer<LoadState>

    private struct LoadState {
        var bytes: [UInt8] = []
        var ends: [UInt32] = []
        var si = XMLName(pointer: nil), t = XMLName(pointer: nil), phonetic = XMLName(pointer: nil)
        var inEntry = false, collecting = false
        var phoneticDepth = 0
        var entryStart = 0
        var failure: XLSXError?
    }

    init(source: XMLByteSource, path: String, part: String, limits: XLSXReadLimits) throws {
        self.path = path
        self.part = part
        self.limits = limits
        byteLimit = min(limits.maxSharedStringBytes, Int(UInt32.max))
        state = .allocate(capacity: 1)
        state.initialize(to: LoadState())
        super.init()
        parser = try XMLPushParser(source: source, handler: self, path: path, part: part, maxTagBytes: limits.maxTagBytes)
        state.pointee.si = parser.name("si")
        state.pointee.t = parser.name("t")
        state.pointee.phonetic = parser.name("rPh")
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Parses the whole part; the text buffer and the end offset of each entry.
    func load() throws -> ([UInt8], [UInt32]) {
        while try parser.parseNextChunk() {}
        if let failure = state.pointee.failure { throw failure }
        return (state.pointee.bytes, state.pointee.ends)
    }

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) -> Bool {
        if name == state.pointee.si {
            state.pointee.entryStart = state.pointee.bytes.count
            state.pointee.inEntry = true
        } else if state.pointee.inEntry, name == state.pointee.phonetic {
            state.pointee.phoneticDepth += 1
        } else if state.pointee.inEntry, name == state.pointee.t, state.pointee.phoneticDepth == 0 {
            state.pointee.collecting = true
        }
        return true
    }

    override func endElement(_ name: XMLName) -> Bool {
        if name == state.pointee.t {
            state.pointee.collecting = false
        } else if name == state.pointee.phonetic, state.pointee.phoneticDepth > 0 {
            state.pointee.phoneticDepth -= 1
        } else if name == state.pointee.si, state.pointee.inEntry {
            state.pointee.inEntry = false
            state.pointee.phoneticDepth = 0
            return closeEntry()
        }
        return true
    }

    override func characters(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard state.pointee.collecting else { return true }
        guard state.pointee.bytes.count + text.count <= byteLimit else {
            return refuse(.sharedStringsTooLarge(limits.maxSharedStringBytes))
        }
        state.pointee.bytes.append(contentsOf: text)
        return true
    }

    private func closeEntry() -> Bool {
        guard state.pointee.ends.count < limits.maxSharedStrings else {
            return refuse(.tooManySharedStrings(limits.maxSharedStrings))
        }
        XLSXTextEscapes.decode(&state.pointee.bytes, from: state.pointee.entryStart)
        state.pointee.ends.append(UInt32(state.pointee.bytes.count))
        return true
    }

    private func refuse(_ reason: XLSXError.Reason) -> Bool {
        state.pointee.failure = XLSXError(path: path, part: part, reason: reason)
        return false
    }
}
