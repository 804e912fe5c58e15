/// A task's own memory, allocated, written and given back: what a task that
/// builds a table or decodes a buffer does to RAM and the caches.
enum MemoryTouch {
    /// Distance between the bytes written: one per cache line, so every line
    /// and every page of the block is written, at the cost of one store each.
    static let stride = 64
    /// Distance between the bytes read back: one per page.
    static let pageBytes = 4096

    /// Allocates `kibibytes` KiB, writes `value` into one byte of every cache
    /// line, reads one byte per page back, frees the block; returns the sum
    /// read. The block comes from the allocator, not the stack, so a task
    /// pays for a fresh mapping (page faults) as real code does when the
    /// allocator has none to reuse. Out of line, and the block freed through
    /// the runtime, so that the stores cannot be dropped as dead.
    @inline(never)
    static func run(kibibytes: Int, value: UInt8) -> UInt64 {
        guard kibibytes > 0 else { return 0 }
        let count = kibibytes * 1024
        let block = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: stride)
        defer { block.deallocate() }
        var offset = 0
        while offset < count {
            block.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
            offset += stride
        }
        var sum: UInt64 = 0
        offset = 0
        while offset < count {
            sum &+= UInt64(block.load(fromByteOffset: offset, as: UInt8.self))
            offset += pageBytes
        }
        return sum
    }

    /// What `run` returns, without touching anything.
    static func expected(kibibytes: Int, value: UInt8) -> UInt64 {
        let pages = (kibibytes * 1024 + pageBytes - 1) / pageBytes
        return UInt64(pages) &* UInt64(value)
    }
}
