internal import CXML2

/// Builds one XML part in memory: the one owner of libxml2's `xmlTextWriterPtr` and its buffer.
///
/// libxml2 escapes `&`, `<`, `>` and quotes; characters XML cannot hold at all must be escaped by
/// the caller first (`XLSXTextEscapes.encode`). Failures are remembered and thrown by `withBytes`,
/// so the writing code stays linear.
final class XMLStreamWriter {
    private let buffer: xmlBufferPtr
    private let writer: OpaquePointer
    private var failed = false

    /// Starts a UTF-8 document with a standalone declaration, as Excel writes.
    init() throws {
        XMLRuntime.prepareThread()
        guard let buffer = xmlBufferCreate() else { throw XLSXError(path: "", reason: .writeFailed("out of memory")) }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw XLSXError(path: "", reason: .writeFailed("out of memory"))
        }
        self.buffer = buffer
        self.writer = writer
        check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", "yes"))
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    /// Opens an element.
    func start(_ name: String) { check(xmlTextWriterStartElement(writer, name)) }

    /// Adds an attribute to the element just opened.
    func attribute(_ name: String, _ value: String) { check(xmlTextWriterWriteAttribute(writer, name, value)) }

    /// Writes text content.
    func text(_ value: String) { check(xmlTextWriterWriteString(writer, value)) }

    /// Closes the innermost open element (as `<x/>` when it is empty).
    func end() { check(xmlTextWriterEndElement(writer)) }

    /// Writes `<name a="b".../>`, attributes in the order given.
    func empty(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        start(name)
        for (key, value) in attributes { attribute(key, value) }
        end()
    }

    /// Writes `<name>text</name>`.
    func element(_ name: String, text value: String) {
        start(name)
        text(value)
        end()
    }

    /// Closes every open element and hands the finished document's bytes to `body`.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        check(xmlTextWriterEndDocument(writer))
        check(xmlTextWriterFlush(writer))
        guard !failed, let content = xmlBufferContent(buffer) else {
            throw XLSXError(path: "", reason: .writeFailed("the XML writer failed"))
        }
        return try body(UnsafeRawBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }

    private func check(_ status: Int32) {
        if status < 0 { failed = true }
    }
}
