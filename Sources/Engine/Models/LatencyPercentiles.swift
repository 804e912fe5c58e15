/// Two percentiles of a duration within one sample, in seconds: the median
/// and the 99th percentile (a task's own duration, or its wait in the queue).
public struct LatencyPercentiles: Sendable, Equatable {
    public var p50: Double
    public var p99: Double

    public init(p50: Double, p99: Double) {
        self.p50 = p50
        self.p99 = p99
    }
}
