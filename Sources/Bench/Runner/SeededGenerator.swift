import Workloads

/// SplitMix64: a small, fast, seedable generator, so that a run's schedule
/// (`--seed`) and the bootstrap are reproducible. Not for cryptography.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }
}
