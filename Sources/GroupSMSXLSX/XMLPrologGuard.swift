/// Refuses a document type declaration before libxml2 sees it.
///
/// libxml2 2.9 parses a DOCTYPE's internal subset, and can start expanding entities declared
/// there, before the reader hands over the DOCTYPE node; a "billion laughs" document would burn
/// CPU before it could be refused. A DOCTYPE can only stand in the prolog, so the bytes before
/// the root element are scanned: comments and processing instructions may stand there, anything
/// else starting `<!` is refused. NUL bytes are skipped, so UTF-16 and UTF-32 prologs are caught too.
struct XMLPrologGuard {
    private enum State {
        case prolog, afterOpen, afterBang, commentOpening
        case comment(dashes: Int)
        case instruction(question: Bool)
        case done
    }

    private var state = State.prolog

    /// Scans the next chunk; false once a `<!` other than a comment appears before the root element.
    mutating func accept(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if case .done = state { return true }
        for byte in chunk where byte != 0 {
            switch state {
            case .prolog:
                if byte == UInt8(ascii: "<") { state = .afterOpen }
            case .afterOpen:
                switch byte {
                case UInt8(ascii: "?"): state = .instruction(question: false)
                case UInt8(ascii: "!"): state = .afterBang
                default: state = .done
                }
            case .afterBang:
                guard byte == UInt8(ascii: "-") else { return false }
                state = .commentOpening
            case .commentOpening:
                guard byte == UInt8(ascii: "-") else { return false }
                state = .comment(dashes: 0)
            case .comment(let dashes):
                if byte == UInt8(ascii: "-") {
                    state = .comment(dashes: dashes + 1)
                } else {
                    state = byte == UInt8(ascii: ">") && dashes >= 2 ? .prolog : .comment(dashes: 0)
                }
            case .instruction(let question):
                state = byte == UInt8(ascii: ">") && question ? .prolog : .instruction(question: byte == UInt8(ascii: "?"))
            case .done:
                return true
            }
        }
        return true
    }
}
