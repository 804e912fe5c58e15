import Glibc
import Synchronization

/// The process groups of the children bench started in groups of their own
/// (the Python reference, the HTTP server): when bench must stop at once (a
/// second Ctrl-C, a hung run) it stops them too, so none outlives it.
///
/// Lock-free slots, because a signal handler reads them.
public enum ChildRegistry {
    private static let capacity = 64
    private static let slots = AtomicSlots(count: capacity)

    /// Remembers `group`; returns false when every slot is taken (the child
    /// then merely cannot be stopped on an abort).
    @discardableResult
    public static func register(_ group: pid_t) -> Bool {
        for index in 0..<capacity where slots[index].compareExchange(expected: 0, desired: group, ordering: .acquiringAndReleasing).exchanged {
            return true
        }
        return false
    }

    public static func unregister(_ group: pid_t) {
        for index in 0..<capacity {
            _ = slots[index].compareExchange(expected: group, desired: 0, ordering: .acquiringAndReleasing)
        }
    }

    /// Allocates the slots now, so that a signal handler calling `killAll`
    /// never runs their lazy initializer (which takes locks and allocates).
    public static func prepare() {
        _ = slots
    }

    /// SIGKILLs every registered group. Async-signal-safe: atomic loads and kill(2).
    public static func killAll() {
        for index in 0..<capacity {
            let group = slots[index].load(ordering: .acquiring)
            if group > 0 { kill(-group, SIGKILL) }
        }
    }
}

/// A fixed array of atomics in memory that never moves or goes away.
private final class AtomicSlots: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Atomic<Int32>>

    init(count: Int) {
        base = .allocate(capacity: count)
        for index in 0..<count {
            (base + index).initialize(to: Atomic(0))
        }
    }

    subscript(index: Int) -> Atomic<Int32> {
        _read { yield base[index] }
    }
}
