import Glibc

/// Readings of `CLOCK_MONOTONIC`, the one clock every timing in a run uses.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot).
    @inline(__always)
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Seconds from `start` to `end` (both from `now()`).
    @inline(__always)
    public static func seconds(from start: UInt64, to end: UInt64) -> Double {
        Double(end &- start) / 1e9
    }

    /// Seconds from `start` to now.
    public static func seconds(since start: UInt64) -> Double {
        seconds(from: start, to: now())
    }

    /// The reading `seconds` from now (saturating, so a huge timeout cannot wrap around).
    public static func deadline(afterSeconds seconds: Double) -> UInt64 {
        let nanoseconds = min(max(seconds, 0), 1e9) * 1e9
        return now() &+ UInt64(nanoseconds)
    }
}
