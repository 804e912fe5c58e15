import Glibc
import Platform
import Synchronization

/// What the loops of one server share: the stop request and the counters.
final class ServerShared: Sendable {
    let stopRequested = Atomic<Bool>(false)
    let responsesWritten = Atomic<Int>(0)
    let connectionsAccepted = Atomic<Int>(0)
    /// Set once when accept runs out of descriptors, so the warning is printed once.
    let descriptorsExhausted = Atomic<Bool>(false)
    /// Connections answered 503 and closed because no descriptor was free.
    let connectionsShed = Atomic<Int>(0)
    /// Connections closed for idling or for a head that never ended.
    let connectionsTimedOut = Atomic<Int>(0)
    /// A descriptor held in reserve (on /dev/null) for the moment accept
    /// fails with EMFILE: closing it frees one number, enough to accept the
    /// waiting connection, answer 503 and close it. Without that, the
    /// level-triggered listener stays readable and the loops spin (measured:
    /// two cores at 100% under `ulimit -n 256` with 300 idle connections).
    let reserve = Mutex<Int32>(open("/dev/null", O_RDONLY | O_CLOEXEC))
    /// Seconds a connection may sit with no request in flight before it is closed.
    let idleTimeoutSeconds: Int
    /// Seconds a request head may take to arrive in full before 408 and close.
    let headerTimeoutSeconds: Int

    init(idleTimeoutSeconds: Int, headerTimeoutSeconds: Int) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.headerTimeoutSeconds = headerTimeoutSeconds
    }

    deinit {
        reserve.withLock { if $0 >= 0 { close($0) } }
    }
}
