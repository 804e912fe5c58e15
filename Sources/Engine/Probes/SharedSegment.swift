import Glibc
import Platform
import Synchronization

/// Memory that several processes map at once: a POSIX shared-memory object
/// (unlinked as soon as it is open, so nothing is left in /dev/shm) mapped
/// `MAP_SHARED`, cut into 64-byte slots, one cache line each, so that two
/// slots never share a line.
///
/// bench creates it and hands its descriptor to its `bench-worker
/// state-peer` processes as fd 3; every process that maps the descriptor
/// sees the same pages. A slot holds a process-shared POSIX semaphore, an
/// `Atomic<Int>` or a plain `Int` word: the probes of the locks and sharing
/// experiments say which slot is which (`SharedStateSlot`).
public final class SharedSegment: @unchecked Sendable {
    public static let slotBytes = 64

    /// The descriptor of the object: the parent passes duplicates of it to its peers.
    public let descriptor: Int32
    public let slotCount: Int
    private let base: UnsafeMutableRawPointer

    /// A new, zeroed segment of `slots` slots.
    public init(slots: Int) throws(SystemCallError) {
        let name = "/bench-state-\(getpid())-\(Self.serial.add(1, ordering: .relaxed).newValue)"
        let fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemCallError("cannot create shared memory (shm_open)", errno: errno, fix: Self.fix) }
        shm_unlink(name)
        guard ftruncate(fd, off_t(slots * Self.slotBytes)) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SystemCallError("cannot size shared memory (ftruncate)", errno: code, fix: Self.fix)
        }
        do {
            base = try Self.map(fd, slots: slots)
        } catch {
            Glibc.close(fd)
            throw error
        }
        descriptor = fd
        slotCount = slots
    }

    /// The segment a parent created, from its descriptor (a peer's fd 3).
    public init(attaching fd: Int32, slots: Int) throws(SystemCallError) {
        base = try Self.map(fd, slots: slots)
        descriptor = fd
        slotCount = slots
    }

    deinit {
        munmap(base, slotCount * Self.slotBytes)
        Glibc.close(descriptor)
    }

    private static let serial = Atomic<Int>(0)
    private static let fix = "check that /dev/shm is mounted and has room (df /dev/shm)"

    private static func map(_ fd: Int32, slots: Int) throws(SystemCallError) -> UnsafeMutableRawPointer {
        let pointer = mmap(nil, slots * slotBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let pointer, pointer != MAP_FAILED else {
            throw SystemCallError("cannot map shared memory (mmap)", errno: errno, fix: fix)
        }
        return pointer
    }

    private func address(_ slot: Int) -> UnsafeMutableRawPointer {
        precondition(slot >= 0 && slot < slotCount, "slot \(slot) is outside the segment's \(slotCount)")
        return base + slot * Self.slotBytes
    }

    /// The process-shared semaphore of `slot`; `initializeSemaphore` first, in the creator, before any peer starts.
    public func semaphore(_ slot: Int) -> UnsafeMutablePointer<sem_t> {
        address(slot).bindMemory(to: sem_t.self, capacity: 1)
    }

    public func initializeSemaphore(_ slot: Int, value: Int) {
        sem_init(semaphore(slot), 1, UInt32(value))
    }

    /// The atomic word of `slot` (zero in a new segment).
    public func atomic(_ slot: Int) -> UnsafeMutablePointer<Atomic<Int>> {
        address(slot).bindMemory(to: Atomic<Int>.self, capacity: 1)
    }

    /// The plain word of `slot`, for what a lock guards or only one process writes.
    public func word(_ slot: Int) -> UnsafeMutablePointer<Int> {
        address(slot).bindMemory(to: Int.self, capacity: 1)
    }

    /// Adds one to semaphore `slot`, `times` times.
    public func post(_ slot: Int, times: Int = 1) {
        for _ in 0..<times { sem_post(semaphore(slot)) }
    }

    /// Takes one from semaphore `slot`, blocking until there is one.
    public func wait(_ slot: Int) {
        while sem_wait(semaphore(slot)) != 0 && errno == EINTR {}
    }

    /// Takes one from semaphore `slot`, waiting at most `seconds`; false when none came.
    public func wait(_ slot: Int, seconds: Double) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(seconds * 1e9)
        var deadline = timespec(tv_sec: now.tv_sec + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        while true {
            if sem_timedwait(semaphore(slot), &deadline) == 0 { return true }
            if errno != EINTR { return false }
        }
    }
}
