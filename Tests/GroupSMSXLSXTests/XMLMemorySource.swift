@testable import GroupSMSXLSX

/// A part's bytes from memory, at most `piece` per read, so that tokens fall across reads.
final class XMLMemorySource: XMLByteSource {
    private let bytes: [UInt8]
    private let piece: Int
    private var offset = 0
    var failure: XLSXError? { nil }

    init(_ bytes: [UInt8], piece: Int = .max) {
        self.bytes = bytes
        self.piece = piece
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, piece, bytes.count - offset)
        for index in 0..<count { buffer[index] = bytes[offset + index] }
        offset += count
        return count
    }
}
