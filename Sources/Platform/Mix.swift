/// SplitMix64's finalizer: a cheap bijective 64-bit mix.
///
/// Every layer that turns values into checksums uses it (task results, body
/// digests), so it lives at the bottom, written once.
@inline(__always)
public func mix(_ input: UInt64) -> UInt64 {
    var z = input
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
