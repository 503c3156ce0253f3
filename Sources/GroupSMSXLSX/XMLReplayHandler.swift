/// Takes over a part from `XMLSubsetParser`: libxml2 parses it again from the start, and this
/// handler drops the events the subset parser already sent (its start and end events, then the
/// text bytes after the last of them) and passes the rest to the handler both parsers serve.
///
/// The two parsers send the same events for the part of a document the subset parser reads
/// (text may come in other pieces, so text is counted in bytes); the scan goes on as if one
/// parser had read the whole part.
final class XMLReplayHandler: XMLPushHandler {
    /// Not retained: the target owns the parser that holds this handler, and this handler.
    private let target: Unmanaged<XMLPushHandler>
    private var elementEventsToSkip: Int
    private var textBytesToSkip: Int

    /// A handler for `target` that first drops what `handOver` says was sent.
    init(target: XMLPushHandler, after handOver: XMLSubsetParser.HandOver) {
        self.target = .passUnretained(target)
        elementEventsToSkip = handOver.elementEvents
        textBytesToSkip = handOver.textBytes
    }

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) -> Bool {
        if elementEventsToSkip > 0 {
            elementEventsToSkip -= 1
            return true
        }
        return target._withUnsafeGuaranteedRef { $0.startElement(name, attributes) }
    }

    override func endElement(_ name: XMLName) -> Bool {
        if elementEventsToSkip > 0 {
            elementEventsToSkip -= 1
            return true
        }
        return target._withUnsafeGuaranteedRef { $0.endElement(name) }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if elementEventsToSkip > 0 { return true }
        if textBytesToSkip >= bytes.count {
            textBytesToSkip -= bytes.count
            return true
        }
        let rest = UnsafeBufferPointer(rebasing: bytes[textBytesToSkip...])
        textBytesToSkip = 0
        return target._withUnsafeGuaranteedRef { $0.characters(rest) }
    }
}
