import Foundation

/// Text and attribute values: checked byte by byte against the class table, sent as they stand
/// in the window when they hold no reference, decoded into a scratch buffer when they do.
extension XMLSubsetParser {
    /// A run of text inside the root element, up to the next `<` (nil when the window ends first).
    func text(at cursor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        var position = cursor
        var lines = 0
        while position < limit {
            switch classes[Int(position.pointee)] & 7 {
            case XMLSubsetBytes.plain, XMLSubsetBytes.tab:
                position += 1
            case XMLSubsetBytes.less:
                progress.pointee.lineNumber += lines
                sendText(cursor, count: position - cursor)
                return position
            case XMLSubsetBytes.lineEnd:
                lines += 1
                position += 1
            case XMLSubsetBytes.greater:
                if position - cursor >= 2, position[-1] == UInt8(ascii: "]"), position[-2] == UInt8(ascii: "]") {
                    throw handOver("]]> in text")
                }
                position += 1
            case XMLSubsetBytes.nonASCII:
                let length = XMLSubsetBytes.utf8Length(position, limit: limit)
                // A sequence the window's end may have cut is checked again with the next chunk.
                guard length > 0 else {
                    if limit - position < 4 { return nil }
                    throw handOver("bytes that are not UTF-8 XML characters")
                }
                position += length
            case XMLSubsetBytes.ampersand:
                return try decodedText(at: cursor, limit: limit)
            default:
                throw handOver("a carriage return or control character in text")
            }
        }
        return nil
    }

    /// A run of text holding a reference, decoded into `textScratch`.
    private func decodedText(at cursor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        guard let found = memchr(cursor, Int32(UInt8(ascii: "<")), limit - cursor) else { return nil }
        let stop = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
        let count = try decode(from: cursor, to: stop, into: textScratch, inValue: false)
        countLines(cursor, stop)
        sendText(UnsafePointer(textScratch), count: count)
        return stop
    }

    /// An attribute value between its quotes: where its text is (in the window, or decoded into
    /// `valueScratch` after the `scratchUsed` bytes other values of the tag took).
    func checkedValue(_ start: UnsafePointer<UInt8>, _ stop: UnsafePointer<UInt8>, scratchUsed: inout Int) throws
        -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>) {
        var position = start
        while position < stop {
            switch classes[Int(position.pointee)] & 7 {
            case XMLSubsetBytes.plain, XMLSubsetBytes.greater:
                position += 1
            case XMLSubsetBytes.nonASCII:
                let length = XMLSubsetBytes.utf8Length(position, limit: stop)
                guard length > 0 else { throw handOver("bytes that are not UTF-8 XML characters") }
                position += length
            case XMLSubsetBytes.ampersand:
                let target = valueScratch + scratchUsed
                let count = try decode(from: start, to: stop, into: target, inValue: true)
                scratchUsed += count
                return (UnsafePointer(target), UnsafePointer(target + count))
            default:
                // Tabs and line ends would be normalised to spaces; `<` is not allowed.
                throw handOver("a tab, line end, `<` or control character in an attribute value")
            }
        }
        return (start, stop)
    }

    /// Copies `start..<stop` into `target` with references replaced, checking every byte as
    /// the callers do; returns the decoded length (never more than the raw one).
    private func decode(from start: UnsafePointer<UInt8>, to stop: UnsafePointer<UInt8>,
                        into target: UnsafeMutablePointer<UInt8>, inValue: Bool) throws -> Int {
        var position = start
        var written = 0
        while position < stop {
            let byte = position.pointee
            switch classes[Int(byte)] & 7 {
            case XMLSubsetBytes.plain, XMLSubsetBytes.greater, XMLSubsetBytes.tab where !inValue,
                 XMLSubsetBytes.lineEnd where !inValue:
                if byte == UInt8(ascii: ">"), !inValue, position - start >= 2,
                   position[-1] == UInt8(ascii: "]"), position[-2] == UInt8(ascii: "]") {
                    throw handOver("]]> in text")
                }
                target[written] = byte
                written += 1
                position += 1
            case XMLSubsetBytes.nonASCII:
                let length = XMLSubsetBytes.utf8Length(position, limit: stop)
                guard length > 0 else { throw handOver("bytes that are not UTF-8 XML characters") }
                (target + written).update(from: position, count: length)
                written += length
                position += length
            case XMLSubsetBytes.ampersand:
                let (scalar, length) = try reference(at: position, stop: stop)
                if inValue, scalar == 0x26 {
                    // As libxml2 does (without entity substitution): an `&` a reference makes in
                    // a value stays escaped, `&#38;` (never longer than the reference itself).
                    for byte in "&#38;".utf8 {
                        target[written] = byte
                        written += 1
                    }
                } else {
                    written += Self.encode(scalar, into: target + written)
                }
                position += length
            default:
                throw handOver("a carriage return, tab, line end or control character it does not read")
            }
        }
        return written
    }

    /// The character a reference at `start` stands for, and the reference's length.
    private func reference(at start: UnsafePointer<UInt8>, stop: UnsafePointer<UInt8>) throws -> (UInt32, Int) {
        let available = stop - start
        guard let found = memchr(start, Int32(UInt8(ascii: ";")), min(available, 12)) else {
            throw handOver("an entity reference it does not read")
        }
        let length = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - start + 1
        let body = UnsafeBufferPointer(start: start + 1, count: length - 2)
        switch String(decoding: body, as: UTF8.self) {
        case "lt": return (0x3C, length)
        case "gt": return (0x3E, length)
        case "amp": return (0x26, length)
        case "apos": return (0x27, length)
        case "quot": return (0x22, length)
        case let text where text.hasPrefix("#x"):
            return (try characterReference(text.dropFirst(2), radix: 16), length)
        case let text where text.hasPrefix("#"):
            return (try characterReference(text.dropFirst(), radix: 10), length)
        default:
            throw handOver("an entity reference other than the predefined five")
        }
    }

    private func characterReference(_ digits: Substring, radix: Int) throws -> UInt32 {
        let allowed = radix == 16 ? "0123456789abcdefABCDEF" : "0123456789"
        guard !digits.isEmpty, digits.allSatisfy({ allowed.contains($0) }), let scalar = UInt32(digits, radix: radix),
              XMLSubsetBytes.isXMLCharacter(scalar) else {
            throw handOver("a character reference to no XML character")
        }
        return scalar
    }

    /// Writes `scalar` as UTF-8; returns its length.
    private static func encode(_ scalar: UInt32, into target: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case ..<0x80:
            target[0] = UInt8(scalar)
            return 1
        case ..<0x800:
            target[0] = UInt8(0xC0 | scalar >> 6)
            target[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case ..<0x10000:
            target[0] = UInt8(0xE0 | scalar >> 12)
            target[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            target[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            target[0] = UInt8(0xF0 | scalar >> 18)
            target[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            target[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            target[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
