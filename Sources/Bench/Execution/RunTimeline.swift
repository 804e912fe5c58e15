/// When a run that starts workers (threads or processes) began, had every
/// worker ready, and had its last task done (`MonotonicClock` readings), and
/// what this process had used by then.
struct RunTimeline: Sendable {
    var startedAt: UInt64
    var readyAt: UInt64
    var finishedAt: UInt64
    /// This process's usage at `finishedAt`: the end of the run's CPU span,
    /// before any thread is joined or worker reaped.
    var usageAtFinish: ResourceUsage

    var setupSeconds: Double { MonotonicClock.seconds(from: startedAt, to: readyAt) }
    var wallSeconds: Double { MonotonicClock.seconds(from: startedAt, to: finishedAt) }
}
