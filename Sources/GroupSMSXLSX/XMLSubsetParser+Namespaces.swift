import Foundation

/// Namespaces: declarations (`xmlns`, `xmlns:p`) and the check that every prefix used is
/// declared, as libxml2's SAX2 parser makes them; what it might judge otherwise is handed over.
extension XMLSubsetParser {
    /// For an `xmlns` or `xmlns:p` attribute: the prefix it declares (empty for the default
    /// namespace); nil for any other attribute.
    func namespaceDeclaration(_ name: UnsafeBufferPointer<UInt8>, colon: UnsafePointer<UInt8>?,
                              value: UnsafeBufferPointer<UInt8>) throws -> UnsafeBufferPointer<UInt8>? {
        guard name.count >= 5, memcmp(name.baseAddress!, Self.xmlns, 5) == 0 else { return nil }
        if name.count == 5 {
            guard value.isEmpty || Self.isPlainNamespace(value) else { throw handOver("a namespace name it does not read") }
            return UnsafeBufferPointer(start: name.baseAddress, count: 0)
        }
        guard let colon, colon == name.baseAddress! + 5 else { return nil }  // `xmlnsx`: a plain attribute
        let prefix = UnsafeBufferPointer(start: colon + 1, count: name.count - 6)
        guard Self.isPlainNamespace(value), !Self.equal(prefix, Self.xml), !Self.equal(prefix, Self.xmlns) else {
            throw handOver("a namespace declaration it does not read")
        }
        return prefix
    }

    /// A namespace name libxml2 surely takes for a URI: `http://` or `https://`, a host of
    /// letters, digits, dots and hyphens, a path of those and `/` and `_`; or `urn:` and letters,
    /// digits and `.:_-`. (libxml2 refuses a declaration whose name is not a URI; anything else
    /// goes to it.)
    static func isPlainNamespace(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = String(decoding: value, as: UTF8.self)
        func plain(_ part: Substring, extra: String) -> Bool {
            !part.isEmpty && part.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || extra.unicodeScalars.contains($0)
            }
        }
        if text.hasPrefix("urn:") { return plain(text.dropFirst(4), extra: ".:_-") }
        guard let rest = text.hasPrefix("http://") ? text.dropFirst(7) : text.hasPrefix("https://") ? text.dropFirst(8) : nil else {
            return false
        }
        let host = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(host.count)
        return plain(host, extra: ".-") && !host.hasPrefix(".") && !host.hasPrefix("-") && (path.isEmpty || plain(path, extra: "/._-"))
    }

    /// Every prefix declared, and no two prefixed attributes with one local name.
    func checkPrefixes(count: Int, declared: Int, element: (start: UnsafePointer<UInt8>, colon: UnsafePointer<UInt8>)?) throws {
        for index in 0..<count {
            guard let (prefix, local) = Self.split(attributeNames[index]), !Self.equal(prefix, Self.xmlns) else { continue }
            guard Self.equal(prefix, Self.xml) || isDeclared(prefix, declared: declared) else { throw handOver("an undeclared prefix") }
            for other in 0..<index {
                guard let (otherPrefix, otherLocal) = Self.split(attributeNames[other]), !Self.equal(otherPrefix, Self.xmlns) else { continue }
                if Self.equal(otherLocal, local) { throw handOver("two prefixed attributes with one local name") }
            }
        }
        if let element {
            let prefix = UnsafeBufferPointer(start: element.start, count: element.colon - element.start)
            guard isDeclared(prefix, declared: declared) else { throw handOver("an undeclared prefix") }
        }
    }

    /// A prefixed name's prefix and local name; nil for an unprefixed one.
    private static func split(_ name: UnsafeBufferPointer<UInt8>) -> (prefix: UnsafeBufferPointer<UInt8>, local: UnsafeBufferPointer<UInt8>)? {
        guard let found = memchr(name.baseAddress!, Int32(colon), name.count) else { return nil }
        let colon = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
        let prefix = UnsafeBufferPointer(start: name.baseAddress!, count: colon - name.baseAddress!)
        return (prefix, UnsafeBufferPointer(start: colon + 1, count: name.count - prefix.count - 1))
    }

    private func isDeclared(_ prefix: UnsafeBufferPointer<UInt8>, declared: Int) -> Bool {
        (0..<declared).contains { Self.equal(declaredNow[$0], prefix) } || prefixes.contains { Self.equal(prefix, $0.prefix) }
    }
}
