import Foundation

/// Tags: the XML declaration, start tags with their attributes and namespace declarations,
/// end tags. Each returns the position after the token, nil when the window ends inside it
/// (nothing of it is recorded until it is complete), or throws `HandOver`.
extension XMLSubsetParser {
    static let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")
    static let greater = UInt8(ascii: ">"), slash = UInt8(ascii: "/"), equals = UInt8(ascii: "=")
    static let colon = UInt8(ascii: ":")
    static let xmlns = Array("xmlns".utf8), xml = Array("xml".utf8)

    /// The name at `start`: its end, its colon (nil when unprefixed) and its key (its first
    /// eight bytes, `XMLSubsetNames.key`), nil when incomplete.
    @inline(__always)
    func scanName(at start: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws
        -> (end: UnsafePointer<UInt8>, colon: UnsafePointer<UInt8>?, key: UInt64)? {
        guard start < limit else { return nil }
        guard classes[Int(start.pointee)] & XMLSubsetBytes.nameStart != 0 else { throw handOver("a name it does not read") }
        var position = start + 1
        var colon: UnsafePointer<UInt8>?
        var key = UInt64(start.pointee)
        while position < limit {
            let byte = position.pointee
            if classes[Int(byte)] & XMLSubsetBytes.nameByte != 0 {
                if position - start < 8 { key = key << 8 | UInt64(byte) }
                position += 1
            } else if byte == Self.colon, colon == nil {
                colon = position
                if position - start < 8 { key = key << 8 | UInt64(byte) }
                position += 1
            } else {
                break
            }
        }
        guard position < limit else { return nil }
        let next = position.pointee
        guard XMLSubsetBytes.isSpace(next) || next == Self.greater || next == Self.slash || next == Self.equals else {
            throw handOver("a name it does not read")
        }
        if let colon, colon + 1 == position || classes[Int(colon[1])] & XMLSubsetBytes.nameStart == 0 {
            throw handOver("a malformed prefixed name")
        }
        return (position, colon, key)
    }

    /// What a start tag holds so far, while its attributes are read.
    struct StartTagScan {
        /// Attributes in the handler's list, names kept for the duplicate check (namespace
        /// declarations too), prefixes this tag declares, and bytes of decoded values.
        var listed = 0, named = 0, declared = 0, scratchUsed = 0
        var lines = 0
        /// Whether the element or an attribute has a prefix to check.
        var prefixed: Bool
        /// Whether the tag ends `/>`.
        var empty = false
    }

    /// A start tag: checks it whole, then sends its start (and end, for `<x/>`).
    func startTag(at cursor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        guard progress.pointee.depth < XMLPushParser.maxDepth else { throw handOver("nesting past the depth limit") }
        guard let (nameEnd, colon, key) = try scanName(at: cursor + 1, limit: limit) else { return nil }
        var position = nameEnd
        var scan = StartTagScan(prefixed: colon != nil)
        while true {
            guard let more = try attribute(at: &position, limit: limit, into: &scan) else { return nil }
            if !more { break }
        }
        try checkDuplicates(count: scan.named)
        if scan.prefixed {
            try checkPrefixes(count: scan.named, declared: scan.declared, element: colon.map { (cursor + 1, $0) })
        }
        progress.pointee.lineNumber += scan.lines
        open(UnsafeBufferPointer(start: cursor + 1, count: nameEnd - (cursor + 1)), key: key, declared: scan.declared)
        let name = localName(cursor + 1, nameEnd, colon: colon, key: key)
        sendStart(name, attributeCount: scan.listed)
        if scan.empty, !progress.pointee.stopped { close(name) }
        return position
    }

    /// Reads the whitespace and attribute at `position`, or the tag's end: true after an
    /// attribute, false at the end (`>` or `/>`), nil when the window ends first.
    @inline(__always)
    private func attribute(at position: inout UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>,
                           into scan: inout StartTagScan) throws -> Bool? {
        let spaceStart = position
        position = skipSpace(from: position, limit: limit, lines: &scan.lines)
        guard position < limit else { return nil }
        if position.pointee == Self.greater {
            position += 1
            return false
        }
        if position.pointee == Self.slash {
            guard position + 1 < limit else { return nil }
            guard position[1] == Self.greater else { throw handOver("a malformed start tag") }
            position += 2
            scan.empty = true
            return false
        }
        guard position > spaceStart else { throw handOver("attributes without whitespace between them") }
        guard let (nameEnd, colon, key) = try scanName(at: position, limit: limit) else { return nil }
        let name = UnsafeBufferPointer(start: position, count: nameEnd - position)
        position = nameEnd
        guard let (start, stop) = try attributeValue(after: &position, limit: limit, lines: &scan.lines,
                                                      scratchUsed: &scan.scratchUsed) else { return nil }
        guard scan.named < Self.maxAttributes else { throw handOver("more than \(Self.maxAttributes) attributes") }
        attributeNames[scan.named] = name
        scan.named += 1
        if colon != nil || name.count == 5,
           let prefix = try namespaceDeclaration(name, colon: colon, value: UnsafeBufferPointer(start: start, count: stop - start)) {
            if !prefix.isEmpty {
                declaredNow[scan.declared] = prefix
                scan.declared += 1
            }
            return true
        }
        scan.prefixed = scan.prefixed || colon != nil
        list(name, colon: colon, key: key, value: (start, stop), at: scan.listed)
        scan.listed += 1
        return true
    }

    /// Writes attribute `index` of the handler's list: local name, prefix mark, no URI, value.
    @inline(__always)
    private func list(_ name: UnsafeBufferPointer<UInt8>, colon: UnsafePointer<UInt8>?, key: UInt64,
                      value: (UnsafePointer<UInt8>, UnsafePointer<UInt8>), at index: Int) {
        let entry = attributes + 5 * index
        entry[0] = localName(name.baseAddress!, name.baseAddress! + name.count, colon: colon, key: key)
        entry[1] = colon == nil ? nil : UnsafePointer(names.prefixMark)
        entry[2] = nil
        entry[3] = value.0
        entry[4] = value.1
    }

    /// After an attribute's name: `=` and the quoted value (whitespace allowed around `=`), the
    /// value's text, with `position` after its closing quote; nil when incomplete.
    @inline(__always)
    private func attributeValue(after position: inout UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>, lines: inout Int,
                                scratchUsed: inout Int) throws -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>)? {
        var cursor = skipSpace(from: position, limit: limit, lines: &lines)
        guard cursor < limit else { return nil }
        guard cursor.pointee == Self.equals else { throw handOver("an attribute without a value") }
        cursor = skipSpace(from: cursor + 1, limit: limit, lines: &lines)
        guard cursor < limit else { return nil }
        let quote = cursor.pointee
        guard quote == Self.quote || quote == Self.apostrophe else { throw handOver("an unquoted attribute value") }
        let valueStart = cursor + 1
        var valueEnd = valueStart
        // Plain ASCII up to the quote is the value as it stands; anything else takes the long way.
        while valueEnd < limit {
            let byte = valueEnd.pointee
            if byte == quote {
                position = valueEnd + 1
                return (valueStart, valueEnd)
            }
            let kind = classes[Int(byte)] & 7
            guard kind == XMLSubsetBytes.plain || kind == XMLSubsetBytes.greater else {
                guard let found = memchr(valueEnd, Int32(quote), limit - valueEnd) else { return nil }
                let stop = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
                position = stop + 1
                return try checkedValue(valueStart, stop, scratchUsed: &scratchUsed)
            }
            valueEnd += 1
        }
        return nil
    }

    /// The address standing for the local name of the name `start..<end` (its part after
    /// `colon`, when it has one); `key` is the whole name's.
    @inline(__always)
    private func localName(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, colon: UnsafePointer<UInt8>?,
                           key: UInt64) -> UnsafePointer<UInt8> {
        guard let colon else { return lookup(start, end - start, key: key) }
        return names.lookup(colon + 1, end - (colon + 1))
    }

    /// No attribute twice.
    @inline(__always)
    private func checkDuplicates(count: Int) throws {
        guard count > 1 else { return }
        for index in 1..<count {
            let name = attributeNames[index]
            for other in 0..<index where Self.equal(name, attributeNames[other]) { throw handOver("an attribute given twice") }
        }
    }

    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == other.count else { return false }
        guard !bytes.isEmpty else { return true }
        return bytes[0] == other[0] && memcmp(bytes.baseAddress!, other.baseAddress!, bytes.count) == 0
    }

    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ other: [UInt8]) -> Bool {
        other.withUnsafeBufferPointer { equal(bytes, $0) }
    }

    /// Records an element as open, with the prefixes it declares: its name's key and length,
    /// and the name itself when the key does not hold all of it.
    @inline(__always)
    private func open(_ name: UnsafeBufferPointer<UInt8>, key: UInt64, declared: Int) {
        let depth = progress.pointee.depth
        openKeys[depth] = key
        openLengths[depth] = name.count
        if name.count > 8 { keepLongName(name, depth: depth) }
        progress.pointee.depth = depth + 1
        if declared > 0 {
            for index in 0..<declared { prefixes.append((Array(declaredNow[index]), depth + 1)) }
            progress.pointee.scopeDepth = depth + 1
        }
        progress.pointee.phase = .content
    }

    /// Copies a name longer than its key to the stack of long names.
    private func keepLongName(_ name: UnsafeBufferPointer<UInt8>, depth: Int) {
        let used = progress.pointee.openNamesCount
        if used + name.count > progress.pointee.openNamesCapacity {
            let capacity = max(progress.pointee.openNamesCapacity * 2, used + name.count)
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            larger.update(from: progress.pointee.openNames, count: used)
            progress.pointee.openNames.deallocate()
            progress.pointee.openNames = larger
            progress.pointee.openNamesCapacity = capacity
        }
        openNameStarts[depth] = used
        (progress.pointee.openNames + used).update(from: name.baseAddress!, count: name.count)
        progress.pointee.openNamesCount = used + name.count
    }

    /// Closes the innermost element, sending its end.
    @inline(__always)
    func close(_ name: UnsafePointer<UInt8>) {
        let depth = progress.pointee.depth
        if depth == progress.pointee.scopeDepth { closeScope(depth) }
        if openLengths[depth - 1] > 8 { progress.pointee.openNamesCount = openNameStarts[depth - 1] }
        progress.pointee.depth = depth - 1
        if depth == 1 { progress.pointee.phase = .epilog }
        sendEnd(name)
    }

    /// Forgets the prefixes the element at `depth` declared.
    private func closeScope(_ depth: Int) {
        while let last = prefixes.last, last.depth == depth { prefixes.removeLast() }
        progress.pointee.scopeDepth = prefixes.last?.depth ?? -1
    }

    /// An end tag: it must close the innermost element.
    func endTag(at cursor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        guard let (nameEnd, colon, key) = try scanName(at: cursor + 2, limit: limit) else { return nil }
        var lines = 0
        let position = skipSpace(from: nameEnd, limit: limit, lines: &lines)
        guard position < limit else { return nil }
        guard position.pointee == Self.greater else { throw handOver("a malformed end tag") }
        let count = nameEnd - (cursor + 2)
        let depth = progress.pointee.depth
        guard count == openLengths[depth - 1], key == openKeys[depth - 1],
              count <= 8 || memcmp(cursor + 2, progress.pointee.openNames + openNameStarts[depth - 1], count) == 0 else {
            throw handOver("an end tag that does not match its start")
        }
        progress.pointee.lineNumber += lines
        close(localName(cursor + 2, nameEnd, colon: colon, key: key))
        return position + 1
    }
}
