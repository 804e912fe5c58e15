import Platform

/// When a run that starts workers (threads or processes) began, had every
/// worker ready, and had its last task done (`MonotonicClock` readings), and
/// what this process had used by then.
public struct SampleTimeline: Sendable {
    public var startedAt: UInt64
    public var readyAt: UInt64
    public var finishedAt: UInt64
    /// This process's usage at `finishedAt`: the end of the run's CPU span,
    /// before any thread is joined or worker reaped.
    public var usageAtFinish: ResourceUsage

    public var setupSeconds: Double { MonotonicClock.seconds(from: startedAt, to: readyAt) }
    public var wallSeconds: Double { MonotonicClock.seconds(from: startedAt, to: finishedAt) }
}
