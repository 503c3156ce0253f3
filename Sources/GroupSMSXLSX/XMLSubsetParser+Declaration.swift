import Foundation

/// The start of a part: an optional byte-order mark and XML declaration.
extension XMLSubsetParser {
    /// The optional byte-order mark and XML declaration at the start of the part.
    func declaration(at cursor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        guard limit - cursor >= 8 else { return nil }
        var position = cursor
        if position[0] == 0xEF, position[1] == 0xBB, position[2] == 0xBF { position += 3 }
        let opening = Array("<?xml".utf8)
        guard memcmp(position, opening, 5) == 0, XMLSubsetBytes.isSpace(position[5]) else {
            progress.pointee.phase = .prolog
            return position
        }
        var close = position + 6
        while close + 1 < limit, !(close[0] == UInt8(ascii: "?") && close[1] == Self.greater) { close += 1 }
        guard close + 1 < limit else { return nil }
        try checkDeclaration(UnsafeBufferPointer(start: position + 5, count: close - (position + 5)))
        countLines(position, close)
        progress.pointee.phase = .prolog
        return close + 2
    }

    /// `version="1.0"`, then optionally a UTF-8 `encoding` and `standalone`: nothing else.
    private func checkDeclaration(_ text: UnsafeBufferPointer<UInt8>) throws {
        let fields = String(decoding: text, as: UTF8.self).split(whereSeparator: { " \t\n\r".contains($0) })
        var expected = ["version", "encoding", "standalone"][...]
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Self.unquoted(parts[1]),
                  let place = expected.firstIndex(of: String(parts[0])) else { throw handOver("an XML declaration it does not read") }
            let accepted = switch parts[0] {
            case "version": value == "1.0"
            case "encoding": value.lowercased() == "utf-8"
            default: value == "yes" || value == "no"
            }
            guard accepted, place == expected.startIndex || parts[0] != "version" else {
                throw handOver("an XML declaration it does not read")
            }
            expected = expected[(place + 1)...]
        }
        guard fields.first?.hasPrefix("version=") == true else { throw handOver("an XML declaration without a version") }
    }

    private static func unquoted(_ text: Substring) -> Substring? {
        guard text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" else { return nil }
        return text.dropFirst().dropLast()
    }
}
