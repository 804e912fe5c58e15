import Glibc

/// Holds threads back until every one of them exists, so that a team's
/// start-up is measured apart from its work and no thread gets a head start.
///
/// A read-write lock, held for writing while the gate is shut: opening it
/// lets every waiting reader through at once. A condition variable's
/// broadcast would wake them too, but each would then take the one mutex in
/// turn, and with hundreds of threads that queue is milliseconds long.
final class StartGate: @unchecked Sendable {
    // pthread primitives must not move in memory: keep them in allocated storage.
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    /// Created shut, by the thread that will open it.
    init() {
        pthread_rwlock_init(lock, nil)
        pthread_rwlock_wrlock(lock)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Blocks until `open()` has been called.
    func wait() {
        pthread_rwlock_rdlock(lock)
        pthread_rwlock_unlock(lock)
    }

    /// Releases every waiting thread, and any that arrive later. Must be
    /// called once, by the thread that created the gate.
    func open() {
        pthread_rwlock_unlock(lock)
    }
}
