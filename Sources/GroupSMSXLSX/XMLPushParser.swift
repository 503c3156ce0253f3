internal import CXML2
import Foundation

/// What a push parser hands its events to: subclass it and override the events. Each returns
/// false to stop the parse (after recording why); nothing may throw across the C callbacks.
/// A class rather than a protocol, so that each callback is one vtable call on an unretained
/// reference (an existential would be retained and released for every node).
class XMLPushHandler {
    /// A start tag: its local name (namespace prefix dropped) and its attributes.
    func startElement(_ name: XMLName, _ attributes: XMLAttributes) -> Bool { true }
    /// An end tag (also sent for `<x/>`, right after its start).
    func endElement(_ name: XMLName) -> Bool { true }
    /// Character data (text, CDATA, whitespace), entities and character references decoded;
    /// one text node may come in several pieces.
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { true }
}

/// The attributes of one start tag, as libxml2's SAX2 parser lists them: five pointers each
/// (local name, prefix, URI, value start, value end); values are not NUL-terminated.
struct XMLAttributes {
    fileprivate let base: UnsafePointer<UnsafePointer<UInt8>?>?
    /// How many attributes the tag has.
    let count: Int

    /// The list of `count` entries at `base`, five pointers each.
    init(base: UnsafePointer<UnsafePointer<UInt8>?>?, count: Int) {
        self.base = base
        self.count = count
    }

    /// The value of the first unprefixed attribute whose local name is `name`, or nil.
    func value(_ name: XMLName) -> UnsafeBufferPointer<UInt8>? {
        // No attribute has a nil name, so the two unused names match nothing.
        values(name, XMLName(pointer: nil), XMLName(pointer: nil)).0
    }

    /// The values of up to three attributes in one pass over the list (a cell's `r`, `t` and
    /// `s`): for each name, the first unprefixed attribute with that local name, or nil.
    func values(_ first: XMLName, _ second: XMLName, _ third: XMLName)
        -> (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) {
        var found: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) = (nil, nil, nil)
        guard let base else { return found }
        for index in 0..<count {
            let entry = base + 5 * index
            guard entry[1] == nil, let start = entry[3], let end = entry[4] else { continue }
            let value = UnsafeBufferPointer(start: start, count: end - start)
            let name = entry[0]
            if name == first.pointer { if found.0 == nil { found.0 = value } }
            else if name == second.pointer { if found.1 == nil { found.1 = value } }
            else if name == third.pointer, found.2 == nil { found.2 = value }
        }
        return found
    }
}

/// A SAX2 push parser over one part: the one owner of libxml2's `xmlParserCtxtPtr`.
///
/// The part's bytes are fed 64 KiB at a time from its inflating stream, and libxml2 calls back
/// for each start tag, end tag and run of text, building no tree. Parsing is locked down as
/// `XMLStreamReader`'s is: network access off, no entity substitution, no DTD loading, the
/// deny-all external entity loader, a DOCTYPE refused before libxml2 sees it (`XMLPrologGuard`)
/// and again if its callback is ever reached, any entity reference refused, every parser error
/// fatal, start tags capped in length (`XMLTagLengthGuard`) and nesting capped in depth (the
/// limit libxml2 applies when it builds a tree, which its SAX2 push mode leaves to the caller).
final class XMLPushParser {
    /// Bytes read from the source and handed to libxml2 per step.
    static let chunkBytes = 64 << 10
    /// Deepest element nesting accepted (libxml2's own default, `xmlParserMaxDepth`).
    static let maxDepth = 256

    private let context: OpaquePointer
    private let state: XMLPushState
    private var buffer: UnsafeMutableRawBufferPointer
    private var ended = false

    /// Starts a parser over `source` that sends its events to `handler` (held unowned: the
    /// caller keeps it alive); `part` and `path` name the part in errors.
    init(source: XMLByteSource, handler: XMLPushHandler, path: String, part: String, maxTagBytes: Int) throws {
        XMLRuntime.prepareThread()
        let state = XMLPushState(source: source, handler: handler, maxTagBytes: maxTagBytes, path: path, part: part)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkBytes, alignment: 16)
        // The first bytes go in at creation, so libxml2 detects UTF-16 and UTF-32 from them.
        let first = state.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<4]))
        var sax = Self.makeHandlers()
        let created = first < 0 ? nil : buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: 4) {
            xmlCreatePushParserCtxt(&sax, Unmanaged.passUnretained(state).toOpaque(), $0, Int32(first), part)
        }
        self.state = state
        self.buffer = buffer
        guard let created else {
            buffer.deallocate()
            throw state.failure
                ?? XLSXError(path: path, part: part, reason: .malformedXML(line: 0, detail: "the XML parser could not start"))
        }
        context = OpaquePointer(created)
        state.context = created
        xmlCtxtUseOptions(created, Int32(XML_PARSE_NONET.rawValue))
    }

    deinit {
        xmlFreeParserCtxt(UnsafeMutablePointer(context))
        buffer.deallocate()
    }

    /// Interns `name` in this parser's dictionary, for comparison with the names it reports.
    func name(_ name: String) -> XMLName {
        let context = UnsafeMutablePointer<xmlParserCtxt>(self.context)
        return XMLName(pointer: xmlDictLookup(context.pointee.dict, name, -1).map { UnsafePointer($0) })
    }

    /// Reads the next chunk and parses it, calling the handler; false once the part has ended
    /// or the handler stopped the parse. Throws on any parser error, on a DOCTYPE or entity, and
    /// on a byte-source failure (a cap exceeded, a damaged archive).
    func parseNextChunk() throws -> Bool {
        guard !ended else { return false }
        let count = state.read(into: buffer)
        if count == 0, state.bytesRead == 0 {
            ended = true
            throw XLSXError(path: state.path, part: state.part, reason: .emptyPart(state.part))
        }
        let context = UnsafeMutablePointer<xmlParserCtxt>(self.context)
        let chunk = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
        let status = xmlParseChunk(context, count > 0 ? chunk : nil, Int32(max(count, 0)), count == 0 ? 1 : 0)
        if let failure = state.failure { ended = true; throw failure }
        if let error = state.parseError {
            ended = true
            throw XLSXError(path: state.path, part: state.part, reason: .malformedXML(line: error.line, detail: error.message))
        }
        if state.stopped { ended = true; return false }
        // Every error is recorded above; this catches a parser that gave up without one.
        if count < 0 || context.pointee.wellFormed == 0 {
            ended = true
            throw XLSXError(path: state.path, part: state.part,
                            reason: .malformedXML(line: lineNumber, detail: "the XML parser stopped (status \(status))"))
        }
        if count == 0 { ended = true }
        return !ended
    }

    /// The parser's current line, for messages.
    var lineNumber: Int {
        let context = UnsafeMutablePointer<xmlParserCtxt>(self.context)
        return Int(context.pointee.input?.pointee.line ?? 0)
    }

    /// The SAX2 callbacks: elements and text go to the handler; a DOCTYPE or entity reference
    /// refuses the part; errors are kept by the state (`XMLPushState.record`).
    private static func makeHandlers() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            XMLPushState.with(context) { state in
                guard state.enter() else { return }
                let list = XMLAttributes(base: UnsafeRawPointer(attributes)?.assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                                         count: Int(attributeCount))
                let going = state.handler._withUnsafeGuaranteedRef { $0.startElement(XMLName(pointer: localName), list) }
                if !going { state.stop() }
            }
        }
        sax.endElementNs = { context, localName, _, _ in
            XMLPushState.with(context) { state in
                state.depth -= 1
                let going = state.handler._withUnsafeGuaranteedRef { $0.endElement(XMLName(pointer: localName)) }
                if !going { state.stop() }
            }
        }
        let text: charactersSAXFunc = { context, bytes, count in
            XMLPushState.with(context) { state in
                let going = state.handler._withUnsafeGuaranteedRef {
                    $0.characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
                }
                if !going { state.stop() }
            }
        }
        sax.characters = text
        sax.cdataBlock = text
        sax.ignorableWhitespace = text
        sax.internalSubset = { context, _, _, _ in XMLPushState.with(context) { $0.refuse(.forbiddenDTD) } }
        sax.externalSubset = { context, _, _, _ in XMLPushState.with(context) { $0.refuse(.forbiddenDTD) } }
        sax.reference = { context, _ in XMLPushState.with(context) { $0.refuse(.forbiddenDTD) } }
        sax.getEntity = { _, _ in nil }
        sax.getParameterEntity = { _, _ in nil }
        sax.resolveEntity = { _, _, _ in nil }
        sax.serror = { context, error in
            guard let context, let error else { return }
            XMLPushState.with(context) { $0.record(error.pointee) }
        }
        return sax
    }
}

/// The state the C callbacks reach through their context pointer.
private final class XMLPushState {
    private var input: XMLGuardedInput
    /// Not retained: the handler owns the parser, which owns this state.
    let handler: Unmanaged<XMLPushHandler>
    var context: xmlParserCtxtPtr?
    private var ownFailure: XLSXError?
    /// Why reading or parsing stopped, once it has.
    var failure: XLSXError? { ownFailure ?? input.failure }
    /// Bytes of the part read so far.
    var bytesRead: Int { input.total }
    private(set) var parseError: (line: Int, message: String)?
    private(set) var stopped = false
    let path: String
    let part: String

    init(source: XMLByteSource, handler: XMLPushHandler, maxTagBytes: Int, path: String, part: String) {
        input = XMLGuardedInput(source: source, maxTagBytes: maxTagBytes, path: path, part: part)
        self.handler = .passUnretained(handler)
        self.path = path
        self.part = part
    }

    /// Calls `body` with the state behind a callback's context pointer, without retaining it
    /// (the parser keeps it alive while libxml2 calls back: this runs for every node).
    @inline(__always)
    static func with(_ context: UnsafeMutableRawPointer?, _ body: (XMLPushState) -> Void) {
        Unmanaged<XMLPushState>.fromOpaque(context!)._withUnsafeGuaranteedRef(body)
    }

    /// Reads from the source through the byte-level guards: the count read, 0 at the end, -1
    /// on failure (then `failure` says why).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard ownFailure == nil else { return -1 }
        return input.read(into: buffer)
    }

    /// Elements open now.
    var depth = 0

    /// Counts a start tag; past `XMLPushParser.maxDepth` the parse stops with an error.
    func enter() -> Bool {
        depth += 1
        guard depth > XMLPushParser.maxDepth else { return true }
        if parseError == nil {
            let line = context.map { Int($0.pointee.input?.pointee.line ?? 0) } ?? 0
            parseError = (line, "elements are nested more than \(XMLPushParser.maxDepth) deep")
        }
        if let context { xmlStopParser(context) }
        return false
    }

    /// Stops the parse because the handler asked to.
    func stop() {
        stopped = true
        if let context { xmlStopParser(context) }
    }

    /// Stops the parse with a refusal.
    func refuse(_ reason: XLSXError.Reason) {
        if failure == nil { ownFailure = XLSXError(path: path, part: part, reason: reason) }
        if let context { xmlStopParser(context) }
    }

    /// Keeps the first error (warnings are ignored) and stops the parser, so that every error,
    /// even one libxml2 would recover from, ends the part.
    func record(_ error: xmlError) {
        guard parseError == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let text = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        parseError = (Int(error.line), text.trimmingCharacters(in: .whitespacesAndNewlines))
        if let context { xmlStopParser(context) }
    }
}
