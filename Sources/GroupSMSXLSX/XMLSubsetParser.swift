import Foundation

/// What the sheet scan reads events from: libxml2's push parser, or the subset parser that
/// hands a part over to it.
protocol XMLEventParser: AnyObject {
    /// Interns `name` for comparison with the names the parser reports.
    func name(_ name: String) -> XMLName
    /// Reads and parses the next chunk; false once the part has ended or the handler stopped.
    func parseNextChunk() throws -> Bool
    /// The current line, for messages.
    var lineNumber: Int { get }
}

extension XMLPushParser: XMLEventParser {}

/// A parser for the plain XML that worksheets are written in, several times faster than
/// libxml2 on it, that hands the part over to libxml2 for anything else.
///
/// It reads UTF-8 with an optional XML declaration, elements, attributes (namespace prefixes
/// checked against their declarations), text and the five predefined entities and character
/// references, checking well-formedness as it goes: names, quoting, whitespace between
/// attributes, duplicate attributes, end tags matching, UTF-8 and XML characters, `]]>`.
/// Anything else (another encoding, comments, processing instructions, CDATA, carriage
/// returns, other entities, non-ASCII names, a token over 64 KiB, nesting past the limit, and
/// every malformed construct) throws `HandOver` before any event of it is sent: the caller then
/// parses the part again with `XMLPushParser` (`XMLReplayHandler` drops the events this parser
/// already sent), so libxml2 decides every such document and words every error, and a sheet
/// reads the same either way. Bytes pass the same guards (`XMLGuardedInput`) as libxml2's.
final class XMLSubsetParser: XMLEventParser {
    /// Where the subset parser stopped: the caller re-parses the part with libxml2, skipping
    /// the `elementEvents` start and end events and then `textBytes` bytes of text it has sent.
    struct HandOver: Error {
        let elementEvents: Int
        let textBytes: Int
        /// What the parser does not read (for tests and debugging).
        let construct: String
    }

    static let chunkBytes = XMLPushParser.chunkBytes
    /// Longest token (tag or run of text) carried from one chunk to the next.
    static let maxCarry = 64 << 10
    static let maxAttributes = 64

    private var input: XMLGuardedInput
    let handler: Unmanaged<XMLPushHandler>
    let path: String
    let part: String
    /// Unparsed bytes are `window[begin..<end]`; room for a carried token and a chunk.
    let window: UnsafeMutablePointer<UInt8>
    var begin = 0
    var end = 0
    private var ended = false
    /// What changes token by token, behind a pointer: stored properties of a class would pay an
    /// exclusivity check on each access, and there are several per tag.
    let progress: UnsafeMutablePointer<Progress>
    let names: XMLSubsetNames
    /// `names.single` and `names.other`, read without going through `names`.
    let singleNames: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    let otherName: UnsafePointer<UInt8>
    /// `XMLSubsetBytes.table`, copied where the hot loop reads it without checks.
    let classes: UnsafeMutablePointer<UInt8>
    /// Each open element's name: its key (`XMLSubsetNames.key`), its length, and where it
    /// starts in `progress.openNames` when it is longer than its key.
    let openKeys: UnsafeMutablePointer<UInt64>
    let openLengths: UnsafeMutablePointer<Int>
    let openNameStarts: UnsafeMutablePointer<Int>
    /// Declared namespace prefixes, with the depth of the element that declared each.
    var prefixes: [(prefix: [UInt8], depth: Int)] = []
    /// The attribute list handed to the handler (five pointers each, as libxml2's SAX2 does).
    let attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    /// Each attribute's qualified name, for the duplicate check, and the prefixes one tag declares.
    let attributeNames: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>
    let declaredNow: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>
    /// Decoded text and attribute values that held references.
    let textScratch: UnsafeMutablePointer<UInt8>
    let valueScratch: UnsafeMutablePointer<UInt8>

    /// The parser's place in the document.
    struct Progress {
        var phase = Phase.start
        var stopped = false
        /// Start and end events sent, and text bytes sent since the last of them.
        var elementEvents = 0
        var textBytesSinceElement = 0
        var lineNumber = 1
        var depth = 0
        /// The open elements' qualified names longer than eight bytes, one after another.
        var openNames: UnsafeMutablePointer<UInt8> = .allocate(capacity: 4096)
        var openNamesCapacity = 4096
        var openNamesCount = 0
        /// The depth of the innermost element that declared a prefix (-1 when none did).
        var scopeDepth = -1
    }

    enum Phase {
        /// Before anything: an XML declaration may stand here.
        case start
        /// Before the root element.
        case prolog
        /// Inside the root element.
        case content
        /// After the root element.
        case epilog
    }

    /// Starts a parser over `source` that sends its events to `handler` (held unowned).
    init(source: XMLByteSource, handler: XMLPushHandler, path: String, part: String, maxTagBytes: Int) {
        input = XMLGuardedInput(source: source, maxTagBytes: maxTagBytes, path: path, part: part)
        self.handler = .passUnretained(handler)
        self.path = path
        self.part = part
        let capacity = Self.maxCarry + Self.chunkBytes
        window = .allocate(capacity: capacity)
        textScratch = .allocate(capacity: capacity)
        valueScratch = .allocate(capacity: capacity)
        attributes = .allocate(capacity: 5 * Self.maxAttributes)
        attributeNames = .allocate(capacity: Self.maxAttributes)
        declaredNow = .allocate(capacity: Self.maxAttributes)
        progress = .allocate(capacity: 1)
        progress.initialize(to: Progress())
        names = XMLSubsetNames()
        singleNames = names.single
        otherName = UnsafePointer(names.other)
        classes = .allocate(capacity: 256)
        classes.initialize(from: XMLSubsetBytes.table, count: 256)
        openNameStarts = .allocate(capacity: XMLPushParser.maxDepth + 1)
        openKeys = .allocate(capacity: XMLPushParser.maxDepth + 1)
        openLengths = .allocate(capacity: XMLPushParser.maxDepth + 1)
    }

    deinit {
        window.deallocate()
        classes.deallocate()
        textScratch.deallocate()
        valueScratch.deallocate()
        attributes.deallocate()
        attributeNames.deallocate()
        declaredNow.deallocate()
        progress.pointee.openNames.deallocate()
        progress.deinitialize(count: 1)
        progress.deallocate()
        openNameStarts.deallocate()
        openKeys.deallocate()
        openLengths.deallocate()
    }

    func name(_ name: String) -> XMLName { XMLName(pointer: names.intern(name)) }

    /// Reads the next chunk and parses every complete token in it; false once the part has
    /// ended or the handler stopped. Throws `HandOver` for what it does not read, and the
    /// guards' and the source's failures.
    func parseNextChunk() throws -> Bool {
        guard !ended else { return false }
        if begin > 0 {
            if end > begin { memmove(window, window + begin, end - begin) }
            end -= begin
            begin = 0
        }
        guard end <= Self.maxCarry else { throw handOver("a token longer than \(Self.maxCarry) bytes") }
        let count = input.read(into: UnsafeMutableRawBufferPointer(start: window + end, count: Self.chunkBytes))
        if count < 0 {
            // libxml2 may find a fault in the unfinished token before this refusal: let it say.
            if end > 0 { throw handOver("a refusal of the bytes after an unfinished token") }
            ended = true
            throw input.failure ?? XLSXError(path: path, part: part, reason: .malformedXML(line: lineNumber, detail: "unreadable"))
        }
        if count == 0, input.total == 0 {
            ended = true
            throw XLSXError(path: path, part: part, reason: .emptyPart(part))
        }
        end += count
        try parseWindow(final: count == 0)
        if progress.pointee.stopped { ended = true; return false }
        if count == 0 {
            guard progress.pointee.phase == .epilog, begin == end else { throw handOver("the part ends inside the document") }
            ended = true
        }
        return !ended
    }

    /// The hand-over for `construct`, with what has been sent so far.
    func handOver(_ construct: String) -> HandOver {
        HandOver(elementEvents: progress.pointee.elementEvents, textBytes: progress.pointee.textBytesSinceElement,
                 construct: construct)
    }

    /// The current line, for messages.
    var lineNumber: Int { progress.pointee.lineNumber }

    /// The address for a name of `count` bytes at `start` with `key` (`XMLSubsetNames.lookup`).
    @inline(__always)
    func lookup(_ start: UnsafePointer<UInt8>, _ count: Int, key: UInt64) -> UnsafePointer<UInt8> {
        if count == 1 { return singleNames[Int(start.pointee)] ?? otherName }
        return names.lookup(start, count, key: key)
    }

    /// The first byte at or after `start` that is not XML whitespace (`limit` when there is
    /// none), counting the line ends passed in `lines`.
    @inline(__always)
    func skipSpace(from start: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>, lines: inout Int) -> UnsafePointer<UInt8> {
        var position = start
        while position < limit, XMLSubsetBytes.isSpace(position.pointee) {
            if position.pointee == 0x0A { lines += 1 }
            position += 1
        }
        return position
    }

    /// Counts the line ends in `bytes`, once they are parsed for good.
    func countLines(_ start: UnsafePointer<UInt8>, _ stop: UnsafePointer<UInt8>) {
        var pointer = start
        while let found = memchr(pointer, 0x0A, stop - pointer) {
            progress.pointee.lineNumber += 1
            pointer = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
        }
    }

    /// Parses the tokens of the window until one is incomplete (kept for the next chunk), the
    /// handler stops or the window is used up; `final` when no more bytes will come.
    private func parseWindow(final: Bool) throws {
        var cursor = UnsafePointer(window + begin)
        let limit = UnsafePointer(window + end)
        defer { begin = UnsafePointer(window).distance(to: cursor) }
        while cursor < limit, !progress.pointee.stopped {
            let next: UnsafePointer<UInt8>?
            switch progress.pointee.phase {
            case .content:
                if cursor.pointee == UInt8(ascii: "<") {
                    next = try markup(at: cursor, limit: limit)
                } else {
                    next = try text(at: cursor, limit: limit)
                }
            case .start:
                next = try declaration(at: cursor, limit: limit)
            case .prolog, .epilog:
                next = try outsideRoot(at: cursor, limit: limit)
            }
            guard let next else {
                if final { throw handOver("the part ends inside a token") }
                return
            }
            cursor = next
        }
    }

    /// A tag at `cursor` inside the root element: the position after it, nil when incomplete.
    private func markup(at cursor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        guard limit - cursor >= 2 else { return nil }
        switch cursor[1] {
        case UInt8(ascii: "/"): return try endTag(at: cursor, limit: limit)
        case UInt8(ascii: "!"), UInt8(ascii: "?"): throw handOver("a comment, CDATA section or processing instruction")
        default: return try startTag(at: cursor, limit: limit)
        }
    }

    /// Whitespace or the root element's tag before it, or whitespace after it.
    private func outsideRoot(at cursor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        let position = skipSpace(from: cursor, limit: limit, lines: &progress.pointee.lineNumber)
        guard position < limit else { return position }
        let phase = progress.pointee.phase
        guard phase == .prolog, position.pointee == UInt8(ascii: "<") else {
            throw handOver(phase == .prolog ? "text before the root element" : "content after the root element")
        }
        guard limit - position >= 2 else { return position == cursor ? nil : position }
        guard classes[Int(position[1])] & XMLSubsetBytes.nameStart != 0 else { throw handOver("markup before the root element") }
        if let next = try startTag(at: position, limit: limit) { return next }
        return position == cursor ? nil : position
    }

    /// Sends a start event (the parse stops when the handler says so).
    @inline(__always)
    func sendStart(_ name: UnsafePointer<UInt8>, attributeCount: Int) {
        progress.pointee.elementEvents += 1
        progress.pointee.textBytesSinceElement = 0
        let list = XMLAttributes(base: UnsafePointer(attributes), count: attributeCount)
        if !handler._withUnsafeGuaranteedRef({ $0.startElement(XMLName(pointer: name), list) }) { progress.pointee.stopped = true }
    }

    /// Sends an end event.
    @inline(__always)
    func sendEnd(_ name: UnsafePointer<UInt8>) {
        progress.pointee.elementEvents += 1
        progress.pointee.textBytesSinceElement = 0
        if !handler._withUnsafeGuaranteedRef({ $0.endElement(XMLName(pointer: name)) }) { progress.pointee.stopped = true }
    }

    /// Sends text.
    @inline(__always)
    func sendText(_ start: UnsafePointer<UInt8>, count: Int) {
        progress.pointee.textBytesSinceElement += count
        let bytes = UnsafeBufferPointer(start: start, count: count)
        if !handler._withUnsafeGuaranteedRef({ $0.characters(bytes) }) { progress.pointee.stopped = true }
    }
}
