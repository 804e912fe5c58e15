/// Durations counted in log-spaced buckets, fixed in size: recording a task
/// allocates nothing and costs an index computation and an increment, and
/// histograms made by different threads or processes merge by adding counts.
///
/// A bucket is a power of two of nanoseconds split into 16 linear steps
/// (the value's leading bit and the four below it), so a bucket is at most
/// 1/16 of its value wide: percentiles are exact to within ~6%, which is
/// finer than the run-to-run spread of any cell. Values from 1 ns to 2^40 ns
/// (~18 minutes) have buckets of their own; longer ones share the last.
public struct LatencyHistogram: Sendable, Equatable {
    static let subBuckets = 16
    static let exponents = 41
    public static let bucketCount = subBuckets * exponents

    /// Counts per bucket; allocated once, when the histogram is made.
    public private(set) var counts: [UInt32]
    public private(set) var total: Int = 0

    public init() {
        counts = [UInt32](repeating: 0, count: Self.bucketCount)
    }

    /// The bucket a duration of `nanoseconds` falls in.
    @inline(__always)
    static func bucket(_ nanoseconds: UInt64) -> Int {
        guard nanoseconds >= UInt64(subBuckets) else { return Int(nanoseconds) }
        let exponent = 63 - nanoseconds.leadingZeroBitCount  // >= 4
        let step = Int((nanoseconds >> UInt64(exponent - 4)) & 15)
        return min((exponent - 3) * subBuckets + step, bucketCount - 1)
    }

    /// The smallest duration that lands in `bucket` (the inverse of `bucket(_:)`).
    static func lowerBound(_ bucket: Int) -> UInt64 {
        guard bucket >= subBuckets else { return UInt64(bucket) }
        let exponent = bucket / subBuckets + 3
        let step = UInt64(bucket % subBuckets)
        return (16 + step) << UInt64(exponent - 4)
    }

    @inline(__always)
    public mutating func record(nanoseconds: UInt64) {
        counts[Self.bucket(nanoseconds)] &+= 1
        total += 1
    }

    /// Adds another histogram's counts (another thread's, another process's).
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices where other.counts[index] != 0 {
            counts[index] &+= other.counts[index]
        }
        total += other.total
    }

    /// The duration below which `fraction` of the recorded ones fall, in
    /// seconds: the middle of the bucket holding that rank. Nil when empty.
    public func percentile(_ fraction: Double) -> Double? {
        guard total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (index, count) in counts.enumerated() where count != 0 {
            seen += Int(count)
            if seen >= rank {
                let low = Double(Self.lowerBound(index))
                let high = index + 1 < Self.bucketCount ? Double(Self.lowerBound(index + 1)) : low
                return (low + high) / 2 / 1e9
            }
        }
        return nil
    }

    /// p50 and p99, or nil when nothing was recorded.
    public var percentiles: LatencyPercentiles? {
        guard let p50 = percentile(0.5), let p99 = percentile(0.99) else { return nil }
        return LatencyPercentiles(p50: p50, p99: p99)
    }

    /// Adds to bucket `index` (the wire format rebuilds histograms bucket by bucket).
    mutating func add(count: UInt32, toBucket index: Int) {
        counts[index] &+= count
        total += Int(count)
    }
}

/// What a worker (thread, process) measures of each task it runs: its own
/// duration, and its wait from the sample's start until it was picked up.
public struct TaskTimes: Sendable, Equatable {
    public var latency = LatencyHistogram()
    public var queueDelay = LatencyHistogram()

    public init() {}

    /// One task picked up at `start` and done at `end`, in a sample that began at `origin`.
    @inline(__always)
    public mutating func record(origin: UInt64, start: UInt64, end: UInt64) {
        latency.record(nanoseconds: end &- start)
        queueDelay.record(nanoseconds: start >= origin ? start - origin : 0)
    }

    public mutating func merge(_ other: TaskTimes) {
        latency.merge(other.latency)
        queueDelay.merge(other.queueDelay)
    }

    /// The percentiles an `Execution` reports, or nils when nothing was timed.
    public var percentiles: (latency: LatencyPercentiles?, queueDelay: LatencyPercentiles?) {
        (latency.percentiles, queueDelay.percentiles)
    }
}
