import Dispatch
import Glibc
import Synchronization

/// What the threads of a Swift lock probe hammer: one acquire, one increment
/// of the word the lock guards, one release. The final value proves the lock
/// excluded: parties × count, or updates were lost.
protocol GuardedCounter: AnyObject, Sendable {
    func increment()
    /// Read once every party has finished.
    var value: Int { get }
}

/// Synchronization's `Mutex`.
final class MutexCounter: GuardedCounter {
    private let state = Mutex(0)

    func increment() {
        state.withLock { $0 &+= 1 }
    }

    var value: Int { state.withLock { $0 } }
}

/// A `pthread_mutex_t` (default attributes: a futex, no spinning), at a fixed address.
final class PthreadMutexCounter: GuardedCounter, @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Guarded by `mutex`.
    private var count = 0

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func increment() {
        pthread_mutex_lock(mutex)
        count &+= 1
        pthread_mutex_unlock(mutex)
    }

    var value: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return count
    }
}

/// A spin lock: a compare-and-swap loop on an atomic flag that never
/// sleeps (test and test-and-set: it spins on a plain load between tries, so
/// waiters do not bounce the cache line). On 2 cores with more spinners than
/// cores, a holder that loses its core keeps every spinner spinning for
/// their whole time slices: what the probe shows.
final class SpinLockCounter: GuardedCounter, @unchecked Sendable {
    private let locked = Atomic<Bool>(false)
    // Guarded by `locked`.
    private var count = 0

    func increment() {
        acquire()
        count &+= 1
        locked.store(false, ordering: .releasing)
    }

    var value: Int {
        acquire()
        defer { locked.store(false, ordering: .releasing) }
        return count
    }

    private func acquire() {
        while !locked.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            while locked.load(ordering: .relaxed) {}
        }
    }
}

/// No lock at all: one atomic read-modify-write (`lock xadd` here).
final class AtomicCounter: GuardedCounter {
    private let count = Atomic<Int>(0)

    func increment() {
        count.wrappingAdd(1, ordering: .relaxed)
    }

    var value: Int { count.load(ordering: .relaxed) }
}

/// A section limited by a semaphore of one: `DispatchSemaphore(value: 1)` as a lock.
final class SemaphoreCounter: GuardedCounter, @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 1)
    // Guarded by `semaphore`.
    private var count = 0

    func increment() {
        semaphore.wait()
        count &+= 1
        semaphore.signal()
    }

    var value: Int {
        semaphore.wait()
        defer { semaphore.signal() }
        return count
    }
}

/// An actor's isolation as the lock: every increment is a call onto its executor.
actor ActorCounter {
    private(set) var count = 0

    func increment() {
        count &+= 1
    }
}
