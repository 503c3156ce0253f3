/// The bytes an XML parser reads, passed through the byte-level hostile-input guards first: no
/// DOCTYPE or entity declaration in the prolog, no tag longer than the limit. Both libxml2
/// readers (the text reader for package parts, the push parser for sheets) read through it.
struct XMLGuardedInput {
    private let source: XMLByteSource
    private var tagGuard: XMLTagLengthGuard
    private var prologGuard = XMLPrologGuard()
    private let path: String
    private let part: String
    /// Why reading stopped, once it has.
    private(set) var failure: XLSXError?
    /// Bytes read so far.
    private(set) var total = 0

    init(source: XMLByteSource, maxTagBytes: Int, path: String, part: String) {
        self.source = source
        self.path = path
        self.part = part
        tagGuard = XMLTagLengthGuard(limit: maxTagBytes)
    }

    /// Reads into `buffer`: the count read, 0 at the end, -1 on failure (then `failure` says why).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard failure == nil else { return -1 }
        let count = source.read(into: buffer)
        if count < 0 {
            failure = source.failure
            return -1
        }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
        if !prologGuard.accept(chunk) {
            failure = XLSXError(path: path, part: part, reason: .forbiddenDTD)
        } else if !tagGuard.accept(chunk) {
            failure = XLSXError(path: path, part: part, reason: .tagTooLong(tagGuard.limit))
        }
        total += count
        return failure == nil ? count : -1
    }
}
