internal import CXML2
import Foundation

/// Bytes fed to the XML parser; `read` returns the count delivered, 0 at the end, -1 on failure
/// (then `failure` says why).
protocol XMLByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
    var failure: XLSXError? { get }
    /// Whether `read` finds bytes (or the end) without waiting for another task: always, for a
    /// source that inflates as it is read; `XLSXPartPrefetch` only once its inflater is ahead.
    var isReady: Bool { get }
}

extension XMLByteSource {
    var isReady: Bool { true }
}

/// An element or attribute name interned in one parser's dictionary: equal names are the same
/// pointer, so the hot loop compares names without building strings.
struct XMLName: Equatable {
    let pointer: UnsafePointer<UInt8>?
}

/// What the reader stopped on.
enum XMLNodeKind {
    case element, endElement, text, other
}

/// A pull parser over one part: the one owner of libxml2's `xmlTextReaderPtr`.
///
/// Parsing is locked down: network access off, no entity substitution, no DTD loading, a deny-all
/// external entity loader, any DOCTYPE or entity node refused, every parser error fatal, and a
/// guard on start-tag length (libxml2 2.9 checks duplicate attributes in quadratic time).
final class XMLStreamReader {
    private let reader: OpaquePointer
    private let input: XMLReaderInput
    private let path: String
    private let part: String

    /// Opens a reader over `source`; `part` and `path` name the part in errors.
    init(source: XMLByteSource, path: String, part: String, maxTagBytes: Int) throws {
        XMLRuntime.prepareThread()
        self.path = path
        self.part = part
        input = XMLReaderInput(source: source, maxTagBytes: maxTagBytes, path: path, part: part)
        let context = Unmanaged.passUnretained(input).toOpaque()
        let read: xmlInputReadCallback = { context, buffer, length in
            guard let context, let buffer else { return -1 }
            let input = Unmanaged<XMLReaderInput>.fromOpaque(context).takeUnretainedValue()
            return Int32(input.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
        }
        guard let reader = xmlReaderForIO(read, nil, context, part, nil, Int32(XML_PARSE_NONET.rawValue)) else {
            throw XLSXError(path: path, part: part, reason: .malformedXML(line: 0, detail: "the XML parser could not start"))
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let input = Unmanaged<XMLReaderInput>.fromOpaque(context).takeUnretainedValue()
            input.record(error.pointee)
        }, context)
    }

    deinit { xmlFreeTextReader(reader) }

    /// Interns `name` in this reader's dictionary, for comparison with `localName`.
    func name(_ name: String) -> XMLName {
        XMLName(pointer: xmlTextReaderConstString(reader, name).map { UnsafePointer($0) })
    }

    /// Moves to the next node; nil at the end of the part. Throws on any parser error, on a
    /// DOCTYPE or entity, and on a byte-source failure (a cap exceeded, a damaged archive).
    func next() throws -> XMLNodeKind? {
        let status = xmlTextReaderRead(reader)
        // Errors stop the parser (see XMLReaderInput.record), so the recorded failure is only
        // looked at once the reader stops delivering nodes: the hot path is one C call.
        if status == 1 {
            switch xmlTextReaderNodeType(reader) {
            case 1: return .element
            case 15: return .endElement
            case 3, 4, 13, 14: return .text
            case 5, 6, 10, 16: throw XLSXError(path: path, part: part, reason: .forbiddenDTD)
            default: return .other
            }
        }
        if let failure = input.failure { throw failure }
        if let error = input.parseError {
            throw XLSXError(path: path, part: part, reason: .malformedXML(line: error.line, detail: error.message))
        }
        guard status == 0 else {
            throw XLSXError(path: path, part: part, reason: .malformedXML(line: lineNumber, detail: "the XML parser stopped"))
        }
        return nil
    }

    /// The local name (no prefix) of the current element or attribute.
    var localName: XMLName {
        XMLName(pointer: xmlTextReaderConstLocalName(reader).map { UnsafePointer($0) })
    }

    /// Whether the current element is written `<x/>`: it will have no end node.
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The parser's current line, for messages.
    var lineNumber: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    /// Appends the current text node's bytes to `buffer`; false (and nothing appended) when that
    /// would take `buffer` past `limit` bytes.
    func appendValue(to buffer: inout [UInt8], limit: Int) -> Bool {
        guard let value = xmlTextReaderConstValue(reader) else { return true }
        let count = strlen(value)
        guard buffer.count + count <= limit else { return false }
        buffer.append(contentsOf: UnsafeBufferPointer(start: value, count: count))
        return true
    }

    /// Calls `body` with the value of the current element's attribute `name` (unprefixed
    /// attributes only), or returns nil when there is none. Cheaper than `forEachAttribute`
    /// when only one or two attributes matter.
    func attribute<Result>(_ name: XMLName, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        guard let pointer = name.pointer else { return nil }
        // Fast path for the hot loop (two or three attributes per cell): read the element's
        // attribute list in place, with the same matching as xmlTextReaderMoveToAttribute
        // (first unprefixed attribute of that name), instead of moving the reader there and back.
        if let node = xmlTextReaderCurrentNode(reader), node.pointee.type == XML_ELEMENT_NODE {
            var property = node.pointee.properties
            while let attribute = property {
                if xmlStrEqual(attribute.pointee.name, pointer) == 1,
                   attribute.pointee.ns == nil || attribute.pointee.ns.pointee.prefix == nil {
                    break
                }
                property = attribute.pointee.next
            }
            guard let attribute = property else { return nil }
            // A plain value is one text child; anything else takes the general path below.
            if let text = attribute.pointee.children, text.pointee.type == XML_TEXT_NODE, text.pointee.next == nil,
               let content = text.pointee.content {
                return try body(UnsafeBufferPointer(start: content, count: strlen(content)))
            }
        }
        guard xmlTextReaderMoveToAttribute(reader, pointer) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        let value = xmlTextReaderConstValue(reader)
        return try body(UnsafeBufferPointer(start: value, count: value.map { strlen($0) } ?? 0))
    }

    /// Calls `body` with each attribute of the current element (namespace declarations
    /// excluded): its local name, whether it has a namespace, and its value's bytes.
    func forEachAttribute(_ body: (XMLName, Bool, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard xmlTextReaderHasAttributes(reader) == 1 else { return }
        defer { xmlTextReaderMoveToElement(reader) }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
            let value = xmlTextReaderConstValue(reader)
            let bytes = UnsafeBufferPointer(start: value, count: value.map { strlen($0) } ?? 0)
            try body(localName, xmlTextReaderConstNamespaceUri(reader) != nil, bytes)
        }
    }
}

/// The state the C callbacks reach through their context pointer.
private final class XMLReaderInput {
    private var input: XMLGuardedInput
    /// Why reading stopped, once it has.
    var failure: XLSXError? { input.failure }
    private(set) var parseError: (line: Int, message: String)?

    init(source: XMLByteSource, maxTagBytes: Int, path: String, part: String) {
        input = XMLGuardedInput(source: source, maxTagBytes: maxTagBytes, path: path, part: part)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        input.read(into: buffer)
    }

    /// Keeps the first error (warnings are ignored) and stops the parser, so that every error,
    /// even one libxml2 would recover from, ends the part; `next()` then throws it.
    func record(_ error: xmlError) {
        guard parseError == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let text = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        parseError = (Int(error.line), text.trimmingCharacters(in: .whitespacesAndNewlines))
        if let context = error.ctxt { xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self)) }
    }
}

/// Process-wide libxml2 set-up, done once; and per-thread silencing of its default error output.
enum XMLRuntime {
    private static let installed: Bool = {
        groupsms_xml_install_guards()
        return true
    }()

    /// Makes sure the parser is initialised and guarded, and silences stderr output on this thread.
    static func prepareThread() {
        _ = installed
        groupsms_xml_silence_thread()
    }

    /// The linked libxml2's version, e.g. "2.9.14" (its parser version "20914", dotted).
    static var linkedVersion: String {
        guard let text = __xmlParserVersion()?.pointee, let number = Int(String(cString: text)) else { return "unknown" }
        return "\(number / 10_000).\(number / 100 % 100).\(number % 100)"
    }
}
