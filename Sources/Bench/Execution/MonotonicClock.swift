import Glibc

/// Readings of `CLOCK_MONOTONIC`, the one clock every timing in a run uses.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot).
    @inline(__always)
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Seconds from `start` to `end` (both from `now()`).
    @inline(__always)
    static func seconds(from start: UInt64, to end: UInt64) -> Double {
        Double(end &- start) / 1e9
    }

    /// Seconds from `start` to now.
    static func seconds(since start: UInt64) -> Double {
        seconds(from: start, to: now())
    }
}
