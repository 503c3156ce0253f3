import Foundation
import GroupSMSPhoneNumbers

/// `check --json`: the report streamed to standard output as it is written, then a newline.
enum CheckJSONOutput {
    /// Writes `report` to standard output in chunks; throws when standard output fails (e.g. a
    /// closed pipe), so the command exits with an error instead of printing half an object.
    static func print(_ report: RecipientImportReport, estimateJSON: String? = nil) throws {
        try report.writeJSON(estimateJSON: estimateJSON, writeToStandardOutput)
        try withUnsafeBytes(of: UInt8(ascii: "\n")) { try writeToStandardOutput($0) }
    }

    private static func writeToStandardOutput(_ chunk: UnsafeRawBufferPointer) throws {
        guard var next = chunk.baseAddress else { return }
        var left = chunk.count
        while left > 0 {
            let written = write(STDOUT_FILENO, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandRefusal(description: "cannot write to standard output: " + String(cString: strerror(errno)))
            }
            next += written
            left -= written
        }
    }
}
