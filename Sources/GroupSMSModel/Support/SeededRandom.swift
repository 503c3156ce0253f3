/// SeededRandom: a small, fast, seedable random number generator.
///
/// The simulator's `--seed`, benchmark inputs and generated test cases all draw from it, so the
/// same seed replays the same faults, numbers and cases on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// True with probability `fraction`.
    public mutating func chance(_ fraction: Double) -> Bool { fraction > 0 && unit() < fraction }
}
