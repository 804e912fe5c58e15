import Workloads

/// What a model measured about one execution, beside the parent's own rusage
/// delta (which the runner takes).
struct Execution: Sendable {
    var checksum: Checksum
    /// From the model's start (before creating any thread or process) to its last task done.
    var wallSeconds: Double
    /// The part of `wallSeconds` spent starting threads or processes.
    var setupSeconds: Double
    /// CPU and switches of worker processes (zero for in-process models).
    var workerUsage: ResourceUsage = .zero
    /// Sum of the peak RSS of each worker process, KiB (zero for in-process models).
    var workerPeakKilobytes: Int = 0
    /// Which of this process's own CPU time and switches belong to the run.
    var ownUsage: OwnUsage = .aroundExecute
}

/// Where the measured process's own share of a run ends. CPU time must cover
/// the same span as the wall time, which ends when the last task is done:
/// joining threads or reaping workers afterwards is not the work.
enum OwnUsage: Sendable {
    /// Everything between the runner's readings just before and just after
    /// `execute` (serial and async, whose wall time ends there too).
    case aroundExecute
    /// Up to this reading of the process, taken by the model when its last
    /// task was done (thread teams, pools).
    case until(ResourceUsage)
    /// None of it: the model's processes measured themselves, their parent
    /// included, over their own span (the Python reference).
    case none
}
