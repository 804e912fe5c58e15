#if canImport(Glibc)
import Glibc
#endif

/// Blocks the calling thread for a number of milliseconds: what a thread
/// that waits on something does to its core (nothing) and to itself (holds it).
public enum BlockingSleep {
    public static func milliseconds(_ milliseconds: Int) {
        // An absolute deadline: a signal that cuts the sleep short cannot stretch or shorten it.
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let nanoseconds = deadline.tv_nsec + (milliseconds % 1000) * 1_000_000
        deadline.tv_sec += milliseconds / 1000 + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
    }
}
