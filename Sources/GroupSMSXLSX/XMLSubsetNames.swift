import Foundation

/// The names the subset parser reports: the few its handler asked for (`intern`), each a
/// NUL-terminated copy whose address is the name, and one shared address for every other name,
/// which the handler never compares equal to one of its own. One owner frees them in `deinit`.
final class XMLSubsetNames {
    /// Known names of two bytes or more, as (address, length), for the lookup to walk without
    /// retaining anything.
    private let longer: UnsafeMutablePointer<(UnsafePointer<UInt8>, Int, UInt64)>
    /// Entries of `longer`, behind a pointer so that a lookup pays no exclusivity check.
    private let longerCount: UnsafeMutablePointer<Int>
    static let capacity = 64
    /// Known one-byte names by their byte (`c`, `v`, `r`, ...: most of a sheet's names).
    let single: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    /// The name of every element and attribute no one asked for.
    let other: UnsafeMutablePointer<UInt8>
    /// The prefix given for a prefixed attribute (the handler only tells prefixed from not).
    let prefixMark: UnsafeMutablePointer<UInt8>

    init() {
        single = .allocate(capacity: 256)
        longer = .allocate(capacity: Self.capacity)
        longerCount = .allocate(capacity: 1)
        longerCount.initialize(to: 0)
        single.initialize(repeating: nil, count: 256)
        other = .allocate(capacity: 2)
        other.initialize(repeating: 0, count: 2)
        prefixMark = .allocate(capacity: 2)
        prefixMark.initialize(repeating: 0, count: 2)
    }

    deinit {
        for byte in 0..<256 { single[byte]?.deallocate() }
        for index in 0..<longerCount.pointee { longer[index].0.deallocate() }
        single.deallocate()
        longer.deallocate()
        longerCount.deallocate()
        other.deallocate()
        prefixMark.deallocate()
    }

    /// The address that stands for `name` from now on.
    func intern(_ name: String) -> UnsafePointer<UInt8> {
        let bytes = Array(name.utf8)
        precondition(!bytes.isEmpty && longerCount.pointee < Self.capacity, "intern at most \(Self.capacity) non-empty names")
        let found = bytes.withUnsafeBufferPointer { lookup($0.baseAddress!, $0.count) }
        if found != UnsafePointer(other) { return found }
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 1)
        pointer.initialize(from: bytes, count: bytes.count)
        pointer[bytes.count] = 0
        if bytes.count == 1 {
            single[Int(bytes[0])] = UnsafePointer(pointer)
        } else {
            longer[longerCount.pointee] = (UnsafePointer(pointer), bytes.count, Self.key(UnsafePointer(pointer), bytes.count))
            longerCount.pointee += 1
        }
        return UnsafePointer(pointer)
    }

    /// The address for the name in `start..<start + count`.
    @inline(__always)
    func lookup(_ start: UnsafePointer<UInt8>, _ count: Int) -> UnsafePointer<UInt8> {
        lookup(start, count, key: Self.key(start, count))
    }

    /// `lookup(_:_:)` with the name's key already made (`key(_:_:)`).
    @inline(__always)
    func lookup(_ start: UnsafePointer<UInt8>, _ count: Int, key: UInt64) -> UnsafePointer<UInt8> {
        if count == 1 { return single[Int(start.pointee)] ?? UnsafePointer(other) }
        for index in 0..<longerCount.pointee {
            let (pointer, length, nameKey) = longer[index]
            if length == count, nameKey == key, count <= 8 || memcmp(pointer, start, count) == 0 { return pointer }
        }
        return UnsafePointer(other)
    }

    /// A name's first eight bytes (at most), packed into one number, first byte highest: names
    /// of up to eight bytes are equal when their lengths and keys are.
    static func key(_ start: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var key: UInt64 = 0
        for index in 0..<min(count, 8) { key = key << 8 | UInt64(start[index]) }
        return key
    }
}

/// What each byte is to the subset parser, in one table.
enum XMLSubsetBytes {
    /// Text classes (the low three bits).
    static let plain: UInt8 = 0, lineEnd: UInt8 = 1, ampersand: UInt8 = 2, greater: UInt8 = 3
    static let nonASCII: UInt8 = 4, refused: UInt8 = 5, tab: UInt8 = 6, less: UInt8 = 7
    /// May start a name (ASCII letters and `_`; `:` is handled apart).
    static let nameStart: UInt8 = 0x10
    /// May stand in a name after its first byte.
    static let nameByte: UInt8 = 0x20

    /// The table; each parser reads it from a copy of its own (`XMLSubsetParser.classes`).
    static let table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in 0..<256 {
            var value: UInt8
            switch byte {
            case 0x0A: value = lineEnd
            case 0x09: value = tab
            case 0x00..<0x20: value = refused  // `\r` included: line ends would need normalising
            case 0x26: value = ampersand
            case 0x3E: value = greater
            case 0x3C: value = less  // ends a run of text; never in a value
            case 0x80...: value = nonASCII
            default: value = plain
            }
            let scalar = UInt8(byte)
            let letter = (0x41...0x5A).contains(scalar) || (0x61...0x7A).contains(scalar) || scalar == 0x5F
            if letter { value |= nameStart | nameByte }
            if (0x30...0x39).contains(scalar) || scalar == 0x2E || scalar == 0x2D { value |= nameByte }
            table[byte] = value
        }
        return table
    }()

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        // Most bytes asked about end a stretch of whitespace: one comparison rules them out.
        byte <= 0x20 && (byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D)
    }

    /// The length of the valid UTF-8 sequence of an XML character at `start` (before `limit`),
    /// or 0 when it is not one (malformed, overlong, a surrogate, U+FFFE, U+FFFF, past U+10FFFF).
    static func utf8Length(_ start: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> Int {
        let lead = start.pointee
        let available = limit - start
        func continuation(_ index: Int) -> Bool { index < available && start[index] & 0xC0 == 0x80 }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0...0xEF:
            guard continuation(1), continuation(2) else { return 0 }
            let second = start[1]
            if lead == 0xE0, second < 0xA0 { return 0 }  // overlong
            if lead == 0xED, second >= 0xA0 { return 0 }  // surrogate
            if lead == 0xEF, second == 0xBF, start[2] >= 0xBE { return 0 }  // U+FFFE, U+FFFF
            return 3
        case 0xF0...0xF4:
            guard continuation(1), continuation(2), continuation(3) else { return 0 }
            let second = start[1]
            if lead == 0xF0, second < 0x90 { return 0 }  // overlong
            if lead == 0xF4, second >= 0x90 { return 0 }  // past U+10FFFF
            return 4
        default:
            return 0
        }
    }

    /// Whether `scalar` is an XML 1.0 character.
    static func isXMLCharacter(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
