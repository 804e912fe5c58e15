import Synchronization

/// The profile workload's `--shared-mib`: a block built once, when the
/// workload is made (before any worker starts), that every task reads.
///
/// It tells shared memory from copied memory apart in PSS: the threads of one
/// process read the one block; processes forked after it was built (Python's
/// `fork` start method) share its pages until one writes them; a process
/// that makes the workload itself (Swift's worker processes, Python's
/// `spawn`) holds a copy of its own.
final class SharedBlock: Sendable {
    /// Every byte of the block: not 0, so a page that was never written reads differently.
    static let value: UInt8 = 0xA5
    static let pageBytes = MemoryTouch.pageBytes

    let mebibytes: Int
    /// Built on the first `build()` (or read), then only read, from any thread.
    private let storage = Mutex<UnsafeSendableBytes?>(nil)

    init(mebibytes: Int) {
        self.mebibytes = mebibytes
    }

    deinit {
        storage.withLock { $0?.bytes.deallocate() }
    }

    /// Allocates and writes the block, once: making a workload does not, so
    /// that a plan can make one per cell only to read its size.
    @discardableResult
    func build() -> UnsafeMutableRawBufferPointer {
        storage.withLock { built in
            if let built { return built.bytes }
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: mebibytes << 20, alignment: Self.pageBytes)
            bytes.initializeMemory(as: UInt8.self, repeating: Self.value)
            built = UnsafeSendableBytes(bytes: bytes)
            return bytes
        }
    }

    /// Reads one byte of every page (enough to need every page resident,
    /// without turning the task into a memory-bandwidth test); returns their sum.
    @inline(never)
    func readEveryPage() -> UInt64 {
        let bytes = build()
        var sum: UInt64 = 0
        var offset = 0
        while offset < bytes.count {
            sum &+= UInt64(bytes.load(fromByteOffset: offset, as: UInt8.self))
            offset += Self.pageBytes
        }
        return sum
    }

    /// What `readEveryPage` returns for a block of `mebibytes`, without one.
    static func expectedSum(mebibytes: Int) -> UInt64 {
        UInt64((mebibytes << 20) / pageBytes) &* UInt64(value)
    }
}

/// The block's memory, handed between threads under `SharedBlock`'s lock:
/// written once before any reader has it, never after.
private struct UnsafeSendableBytes: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
}
