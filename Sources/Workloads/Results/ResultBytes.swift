import Platform

/// The bytes a task hands back as its result, and their digest.
///
/// A result is one 64-bit word repeated, little-endian, cut to its length:
/// filling it costs what writing that many bytes costs, and its digest is
/// known without the bytes, so the reference checksum stays analytic. The
/// digest itself reads every byte (a wrapping sum of the little-endian
/// 64-bit words, the last one zero-padded, mixed with the length): cheap
/// enough (the sum vectorises) that digesting a result never rivals moving
/// it, yet a byte lost, added or changed in transit changes it.
/// python/bench/checksum.py computes the same digest.
public enum ResultBytes {
    /// `count` bytes of `word` repeated, little-endian.
    public static func repeating(_ word: UInt64, count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            let little = word.littleEndian
            var offset = 0
            while offset + 8 <= count {
                raw.storeBytes(of: little, toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            withUnsafeBytes(of: little) { bytes in
                for index in 0..<(count - offset) { raw[offset + index] = bytes[index] }
            }
            initialized = count
        }
    }

    /// The digest of `bytes`.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let words = bytes.count / 8
        var sum: UInt64 = 0
        for index in 0..<words {
            sum &+= UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
        }
        var tail: UInt64 = 0
        for index in 0..<(bytes.count - words * 8) {
            tail |= UInt64(bytes[words * 8 + index]) << (8 * UInt64(index))
        }
        return finish(sum &+ tail, count: bytes.count)
    }

    public static func digest(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { digest($0) }
    }

    /// `digest(repeating(word, count: count))` without making the bytes.
    public static func digestOfRepeating(_ word: UInt64, count: Int) -> UInt64 {
        let remainder = count % 8
        let tail = remainder == 0 ? 0 : word & ((1 << (8 * UInt64(remainder))) - 1)
        return finish(word &* UInt64(count / 8) &+ tail, count: count)
    }

    private static func finish(_ sum: UInt64, count: Int) -> UInt64 {
        mix(sum ^ mix(UInt64(count)))
    }
}
