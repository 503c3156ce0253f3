import Foundation

/// The distinct tuples of template values of a personalised job, each stored once (SPEC §7:
/// "store each number's values once").
///
/// A tuple is the values one recipient's row gives the template's variables, in order. Numbers
/// refer to their tuple by index (`UInt32`), so a million numbers that share a few thousand
/// tuples hold a few thousand value strings, and a request never copies a value per number:
/// it names the tuple. All values live in one UTF-8 buffer with end offsets; an open-addressing
/// index finds an existing tuple while importing.
public struct TemplateValueSets: Sendable {
    /// Values per tuple: the template's variables (or the file's value columns).
    public let arity: Int
    /// Every tuple's values, one after another.
    private var bytes: [UInt8] = []
    /// End offset in `bytes` of each value; tuple t owns `ends[t * arity ..< (t + 1) * arity]`.
    private var ends: [UInt32] = []
    /// Each tuple's hash, kept so that the index can grow without rehashing the bytes.
    private var hashes: [UInt32] = []
    /// Open addressing: tuple index + 1, 0 for an empty slot.
    private var slots = [UInt32](repeating: 0, count: 1 << 10)
    /// Where `touch` puts what it loads, so that the load is kept.
    private var touched: UInt32 = 0

    /// The most bytes of values the table holds (offsets are 32-bit).
    public static let maximumBytes = Int(UInt32.max)

    /// An empty table for tuples of `arity` values (0...20).
    public init(arity: Int) {
        precondition((0...TemplateText.maximumVariables).contains(arity), "a template has 0 to 20 variables")
        self.arity = arity
    }

    /// Makes room for about `tuples` distinct tuples, so that the index need not grow (and
    /// rehash) while they are added.
    public mutating func reserveCapacity(tuples: Int) {
        while tuples * 2 > slots.count { grow() }
        hashes.reserveCapacity(tuples)
        ends.reserveCapacity(tuples * arity)
    }

    /// The number of distinct tuples.
    public var count: Int { hashes.count }

    /// The bytes of value text held.
    public var byteCount: Int { bytes.count }

    /// The index of the tuple `values` (exactly `arity` strings), added if new.
    public mutating func intern(_ values: [String]) -> UInt32 {
        precondition(values.count == arity, "a tuple has \(arity) values, not \(values.count)")
        var buffer = TemplateValueTuple(arity: arity)
        for value in values { buffer.append(value) }
        return intern(buffer)
    }

    /// Loads the index slot where `tuple` starts its probe, so that a group of lookups can wait
    /// for memory together (as `E164FirstSeenSet.touch` does for numbers): issued back to back
    /// for the tuples about to be interned, the cache misses of a large table overlap.
    public mutating func touch(_ tuple: TemplateValueTuple) {
        touched ^= slots[Int(tuple.hash) & (slots.count - 1)]
    }

    /// The index of the tuple gathered in `tuple`, added if new.
    public mutating func intern(_ tuple: TemplateValueTuple) -> UInt32 {
        precondition(tuple.count == arity, "a tuple has \(arity) values, not \(tuple.count)")
        let hash = tuple.hash
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            let index = Int(stored - 1)
            if hashes[index] == hash, matches(index, tuple) { return UInt32(index) }
            slot = (slot + 1) & mask
        }
        precondition(bytes.count + tuple.byteCount <= Self.maximumBytes, "more value text than the table can hold")
        let index = hashes.count
        tuple.withBytes { bytes.append(contentsOf: $0) }
        let base = UInt32(bytes.count - tuple.byteCount)
        for end in tuple.ends { ends.append(base + UInt32(end)) }
        hashes.append(hash)
        slots[slot] = UInt32(index + 1)
        if hashes.count * 2 > slots.count { grow() }
        return UInt32(index)
    }

    /// The values of tuple `index`, in variable order.
    public func values(at index: Int) -> [String] {
        (0..<arity).map { value(index, $0) }
    }

    /// Value `variable` (0-based) of tuple `index`.
    public func value(_ index: Int, _ variable: Int) -> String {
        withValue(index, variable) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of value `variable` of tuple `index`.
    public func withValue<Result>(_ index: Int, _ variable: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result)
        rethrows -> Result {
        let slot = index * arity + variable
        let start = slot == 0 ? 0 : Int(ends[slot - 1])
        let end = Int(ends[slot])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    private func matches(_ index: Int, _ tuple: TemplateValueTuple) -> Bool {
        let first = index * arity
        let start = first == 0 ? 0 : Int(ends[first - 1])
        let end = arity == 0 ? start : Int(ends[first + arity - 1])
        guard end - start == tuple.byteCount else { return false }
        for variable in 0..<arity where Int(ends[first + variable]) - start != tuple.ends[variable] { return false }
        return bytes.withUnsafeBufferPointer { stored in
            tuple.withBytes { given in
                given.isEmpty || memcmp(stored.baseAddress! + start, given.baseAddress!, given.count) == 0
            }
        }
    }

    private mutating func grow() {
        var larger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(hash) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = UInt32(index + 1)
        }
        slots = larger
    }
}

extension TemplateValueSets: Equatable {
    /// Two tables are equal when they hold the same tuples in the same order.
    public static func == (lhs: TemplateValueSets, rhs: TemplateValueSets) -> Bool {
        lhs.arity == rhs.arity && lhs.hashes.count == rhs.hashes.count && lhs.bytes == rhs.bytes && lhs.ends == rhs.ends
    }
}

/// One tuple of values being gathered before it is interned: a reusable buffer, so a row's
/// values are copied once (into the table) and only when the tuple is new.
public struct TemplateValueTuple: Sendable {
    private var bytes: [UInt8] = []
    /// End offset of each value within `bytes`.
    fileprivate private(set) var ends: [Int] = []
    /// FNV-1a over what has been appended, kept as values arrive so the bytes are read once.
    private var running = TemplateValueTuple.hashSeed
    private static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// An empty tuple with room for `arity` values.
    public init(arity: Int) {
        ends.reserveCapacity(arity)
        bytes.reserveCapacity(16 * arity)
    }

    /// Values gathered so far.
    public var count: Int { ends.count }
    /// Bytes gathered so far.
    public var byteCount: Int { bytes.count }

    /// Appends the next value.
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { append(utf8: $0) }
    }

    /// Appends the next value from its UTF-8 bytes.
    public mutating func append(utf8 value: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: value)
        ends.append(bytes.count)
        var hash = running
        for byte in value { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        running = (hash ^ 0xff) &* 0x100_0000_01b3
    }

    /// Empties the tuple, keeping its storage.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        running = Self.hashSeed
    }

    /// Value `index` as a string.
    public func value(_ index: Int) -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: bytes[start..<ends[index]], as: UTF8.self)
    }

    fileprivate func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer(body)
    }

    /// FNV-1a over the bytes, with each value's end mixed in so that ("ab","c") and ("a","bc")
    /// hash apart; folded to 32 bits.
    fileprivate var hash: UInt32 { UInt32(truncatingIfNeeded: running ^ (running >> 32)) }
}
