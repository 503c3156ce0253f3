import Foundation

/// Refuses XML in which two `<` are more than `limit` bytes apart.
///
/// A start tag cannot contain `<` (not even inside attribute values), so this bounds every tag,
/// and with it libxml2 2.9's quadratic duplicate-attribute check and its per-tag memory. Text
/// between tags is bounded by libxml2 itself (10 MB per node); legitimate cell text is at most
/// 32,767 characters, far under the default limit.
struct XMLTagLengthGuard {
    let limit: Int
    /// Bytes seen since the last `<`.
    private var sinceLastOpen = 0

    init(limit: Int) { self.limit = limit }

    /// Scans the next chunk of the document; false once the limit is broken.
    mutating func accept(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return true }
        var offset = 0
        // Chunks are usually far smaller than the limit, so only the first and last `<` matter;
        // the loop handles any chunk size exactly.
        while offset < chunk.count {
            guard let found = memchr(base + offset, Int32(UInt8(ascii: "<")), chunk.count - offset) else {
                sinceLastOpen += chunk.count - offset
                return sinceLastOpen <= limit
            }
            let position = base.distance(to: UnsafeRawPointer(found))
            sinceLastOpen += position - offset
            if sinceLastOpen > limit { return false }
            sinceLastOpen = 0
            offset = position + 1
            if chunk.count - offset > limit {
                continue
            }
            var last = chunk.count - 1
            while last >= offset, chunk[last] != UInt8(ascii: "<") { last -= 1 }
            if last >= offset { offset = last + 1 }
        }
        return true
    }
}
