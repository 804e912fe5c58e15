import Platform

/// Computing for a given time: the xor chain of `XorWorkload` run forward for
/// half the iterations and then unwound, step by step, for the other half.
///
/// Each step is one link of a scalar dependency chain (forward
/// `x = (x ^ i) &+ 1`, back `x = (x &- 1) ^ i`), so the time grows linearly
/// with the iterations and the optimizer can neither fold nor vectorise it.
/// The unwinding brings `x` back to its seed exactly: the task's result is
/// known without running it (its checksum stays analytic), yet no step can be
/// skipped without changing it. The iterations come from a time through the
/// picoseconds one step takes, measured once per process.
public enum XorRoundTrip {
    /// Runs `iterations` steps (rounded down to even) from `seed`; returns `seed`.
    @inline(never)
    public static func run(seed: UInt64, iterations: Int) -> UInt64 {
        var x = seed
        let half = UInt64(max(iterations, 0) / 2)
        var i: UInt64 = 0
        while i < half {
            x = (x ^ i) &+ 1
            i &+= 1
        }
        while i > 0 {
            i &-= 1
            x = (x &- 1) ^ i
        }
        return x
    }

    /// Steps that take `microseconds` at `picoseconds` per step.
    public static func iterations(microseconds: Int, picoseconds: Int) -> Int {
        guard microseconds > 0 else { return 0 }
        let (product, overflow) = microseconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? Int.max : product / max(picoseconds, 1)
    }

    /// Picoseconds per step on this machine, measured on first use (about
    /// 10 ms): the fastest of 12 runs of a million steps, after one to warm
    /// the caches and the clock frequency. The fastest, because anything
    /// slower was the scheduler's doing, not the loop's.
    public static let measuredPicoseconds: Int = {
        let steps = 1_000_000
        var fastest = UInt64.max
        var sink: UInt64 = 0
        for round in 0..<13 {
            let start = MonotonicClock.now()
            sink &+= run(seed: UInt64(round), iterations: steps)
            let elapsed = MonotonicClock.now() &- start
            if round > 0 { fastest = min(fastest, elapsed) }
        }
        // The sum of the seeds: keeps the runs from being dropped as unused.
        precondition(sink == 78, "the xor round trip did not return to its seed")
        return max(1, Int(fastest * 1000 / UInt64(steps)))
    }()
}
