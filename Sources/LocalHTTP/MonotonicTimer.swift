import Platform
import CEpoll
import Glibc

/// A timerfd on CLOCK_MONOTONIC, armed at absolute instants: the server's one
/// timer per loop, set to the earliest response due.
public struct MonotonicTimer: Sendable {
    public let fd: Int32

    public init() throws(SystemCallError) {
        fd = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        guard fd >= 0 else { throw SystemCallError("timerfd_create", errno: errno) }
    }

    /// Fires once at `nanoseconds` on CLOCK_MONOTONIC (0 would disarm, so never pass 0).
    public func arm(at nanoseconds: UInt64) {
        var spec = itimerspec()
        spec.it_value.tv_sec = Int(nanoseconds / 1_000_000_000)
        spec.it_value.tv_nsec = Int(max(nanoseconds % 1_000_000_000, 1))
        timerfd_settime(fd, Int32(TFD_TIMER_ABSTIME), &spec, nil)
    }

    /// Fires every `seconds`, starting `seconds` from now.
    public func fire(everySeconds seconds: Int) {
        var spec = itimerspec()
        spec.it_value.tv_sec = seconds
        spec.it_interval.tv_sec = seconds
        timerfd_settime(fd, 0, &spec, nil)
    }

    public func drain() {
        var expirations: UInt64 = 0
        _ = read(fd, &expirations, 8)
    }

    public func close() {
        _ = Glibc.close(fd)
    }
}
