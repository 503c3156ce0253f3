/// The distinct numbers of a job in first-seen order, with an open-addressing index to find
/// repeats. A slot holds the number's position + 1 in the low 20 bits and 12 bits of its hash
/// above them, so most probes never touch the numbers; 4 bytes a slot.
struct E164FirstSeenSet {
    /// The distinct E.164 values (digits as an integer), in first-seen order.
    private(set) var values: [UInt64] = []
    private var slots = [UInt32](repeating: 0, count: 1 << 16)
    /// What `touch` loaded, kept so that the loads are not optimised away.
    private var touched: UInt32 = 0

    private static let indexBits: UInt32 = 20
    private static let indexMask: UInt32 = (1 << indexBits) - 1
    /// More numbers than a job may hold (1,000,000), fewer than the index bits can count.
    static let capacity = Int(indexMask) - 1

    var count: Int { values.count }

    /// Adds `value` unless present; returns the first-seen position of an existing equal
    /// value, or nil when it was added.
    mutating func insert(_ value: UInt64) -> Int? {
        precondition(values.count < Self.capacity, "more distinct numbers than a job may hold")
        if (values.count + 1) * 2 > slots.count { grow() }
        let hash = value &* 0x9E37_79B9_7F4A_7C15
        // Bits 20-31 of the product: independent of the home slot's top bits.
        let tag = UInt32(truncatingIfNeeded: hash) & ~Self.indexMask
        let mask = slots.count - 1
        var slot = Self.home(hash, slotCount: slots.count)
        while true {
            let stored = slots[slot]
            if stored == 0 {
                slots[slot] = tag | UInt32(values.count + 1)
                values.append(value)
                return nil
            }
            if stored & ~Self.indexMask == tag {
                let index = Int(stored & Self.indexMask) - 1
                if values[index] == value { return index }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Loads the slot where `value` would start its probe, so that a group of lookups can
    /// wait for memory together: issued back to back for the numbers about to be inserted, the
    /// cache misses of a large index overlap instead of stalling one insert each.
    mutating func touch(_ value: UInt64) {
        touched ^= slots[Self.home(value &* 0x9E37_79B9_7F4A_7C15, slotCount: slots.count)]
    }

    /// Makes room for `count` numbers without growing the index on the way.
    mutating func reserveCapacity(_ count: Int) {
        let wanted = min(count, Self.capacity)
        while wanted * 2 > slots.count { grow() }
        values.reserveCapacity(wanted)
    }

    /// Fibonacci hashing: the top bits of the product spread consecutive numbers evenly.
    private static func home(_ hash: UInt64, slotCount: Int) -> Int {
        Int(truncatingIfNeeded: hash >> UInt64(64 - slotCount.trailingZeroBitCount))
    }

    private mutating func grow() {
        var larger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for stored in slots where stored != 0 {
            let hash = values[Int(stored & Self.indexMask) - 1] &* 0x9E37_79B9_7F4A_7C15
            var slot = Self.home(hash, slotCount: larger.count)
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = stored
        }
        slots = larger
    }
}
