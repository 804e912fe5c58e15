

/// SplitMix64: a small, fast, seedable generator, so that a run's schedule
/// (`--seed`) and the bootstrap are reproducible. Not for cryptography.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }
}
