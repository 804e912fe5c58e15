import Platform
import Workloads

/// What a model measured about one execution, beside the parent's own rusage
/// delta (which the runner takes).
public struct Execution: Sendable {
    public var checksum: Checksum
    /// From the model's start (before creating any thread or process) to its last task done.
    public var wallSeconds: Double
    /// The part of `wallSeconds` spent starting threads or processes.
    public var setupSeconds: Double
    /// CPU and switches of worker processes (zero for in-process models).
    public var workerUsage: ResourceUsage = .zero
    /// Sum of the peak RSS of each worker process, KiB (zero for in-process models).
    public var workerPeakKilobytes: Int = 0
    /// Which of this process's own CPU time and switches belong to the sample.
    public var ownUsage: OwnUsage = .aroundExecute
    /// Proportional memory and scheduling of the worker processes, as each
    /// reported them (zero for in-process models; a part is nil when a worker
    /// could not read it).
    public var workerAccount: ProcessAccount = .zero
    /// This process's threads' scheduler statistics when the last task was
    /// done, read by a model whose threads end before `execute` returns (a
    /// thread team), so that theirs are not lost; nil: the runner reads them
    /// after `execute`. Ignored when `ownUsage` is `.none`.
    public var ownSchedulingAtFinish: [Int32: SchedulerStatistics]?
    /// Percentiles of one task's own duration; nil where not taken.
    public var taskLatency: LatencyPercentiles?
    /// Percentiles of a task's wait from the sample's start until a worker took it; nil where not taken.
    public var queueDelay: LatencyPercentiles?
    /// The tasks the execution ran, when by design not all of the job's
    /// (the seed tutorial's program with its own split prints a quarter);
    /// nil: all of them. The checksum and the fixture's check expect these.
    public var tasksRun: Range<Int>?

    public init(
        checksum: Checksum, wallSeconds: Double, setupSeconds: Double, workerUsage: ResourceUsage = .zero,
        workerPeakKilobytes: Int = 0, ownUsage: OwnUsage = .aroundExecute
    ) {
        self.checksum = checksum
        self.wallSeconds = wallSeconds
        self.setupSeconds = setupSeconds
        self.workerUsage = workerUsage
        self.workerPeakKilobytes = workerPeakKilobytes
        self.ownUsage = ownUsage
    }
}

extension Execution {
    /// Takes the percentiles of `times` (merged over every worker), if any were recorded.
    public mutating func record(_ times: TaskTimes?) {
        guard let times else { return }
        (taskLatency, queueDelay) = times.percentiles
    }
}

/// Where the measured process's own share of a sample ends. CPU time must
/// cover the same span as the wall time, which ends when the last task is
/// done: joining threads or reaping workers afterwards is not the work.
public enum OwnUsage: Sendable {
    /// Everything between the runner's readings just before and just after
    /// `execute` (serial and async, whose wall time ends there too).
    case aroundExecute
    /// Up to this reading of the process, taken by the model when its last
    /// task was done (thread teams, pools).
    case until(ResourceUsage)
    /// None of it: the model's processes measured themselves, their parent
    /// included, over their own span (the Python models).
    case none
}
