import Dispatch
import Foundation

/// Reads a journal file's complete lines in order, a batch at a time, remembering where it is,
/// so a journal that keeps growing is read once however often it is replayed.
final class JournalReader {
    let path: String
    private let handle: FileHandle
    private var pending: [UInt8] = []
    /// Where the unreturned part of `pending` starts.
    private var start = 0
    /// Bytes read from the file so far (complete lines and the partial one in `pending`).
    private var readBytes = 0
    /// Lines returned so far.
    private(set) var linesRead = 0

    init(path: String) throws(StatusReportReceiverError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .fileFailed(path: path, action: "read", reason: "it cannot be opened")
        }
        self.path = path
        self.handle = handle
    }

    deinit {
        try? handle.close()
    }

    /// Up to `count` next complete lines (without their newline), reading no further than byte
    /// `limit` (the journal's durable size; nil reads to the end). A last line without its
    /// newline is never returned: it was cut off by a crash before its request was answered.
    func next(_ count: Int, limit: Int?) throws(StatusReportReceiverError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        while lines.count < count {
            if let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(Array(pending[start..<newline]))
                start = newline + 1
                continue
            }
            pending.removeSubrange(..<start)
            start = 0
            let wanted = limit.map { min($0 - readBytes, 1 << 20) } ?? 1 << 20
            guard wanted > 0 else { break }
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: wanted) ?? Data()
            } catch {
                throw .fileFailed(path: path, action: "read", reason: error.localizedDescription)
            }
            guard !chunk.isEmpty else { break }
            readBytes += chunk.count
            pending.append(contentsOf: chunk)
        }
        linesRead += lines.count
        return lines
    }
}
