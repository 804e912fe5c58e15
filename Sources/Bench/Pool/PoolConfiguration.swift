import Workloads

/// How a pool run hands task indices to its worker processes.
enum TaskAssignment: Equatable, Sendable {
    /// One contiguous block per process, all sent when the workers are ready:
    /// the classic "split the range in P parts" program (hybrid's default).
    case blocks
    /// Chunks of `size` tasks from one queue in the parent, kept flowing ahead
    /// of results (process-pool, and hybrid with `--dispatch dynamic`).
    case chunks(size: Int)

    /// Python's `Pool.map` default: ceil(tasks / (4 x processes)), at least 1.
    static func defaultChunkSize(tasks: Int, processes: Int) -> Int {
        let parts = 4 * max(processes, 1)
        return max(1, (tasks + parts - 1) / parts)
    }

    /// The block of worker `index` of `processes`: sizes differ by at most one.
    static func block(_ index: Int, of processes: Int, tasks: Int) -> Range<Int> {
        (index * tasks / processes)..<((index + 1) * tasks / processes)
    }
}

/// What a pool is, what it runs and within what time: everything `WorkerPool.run` needs.
struct PoolConfiguration: Sendable {
    var workloadName: String
    var parameters: WorkloadParameters
    var tasks: Int
    var processes: Int
    /// Threads per worker process: 1 for process-pool, T for hybrid.
    var threadsPerProcess: Int
    var assignment: TaskAssignment
    /// From the first spawn; past it every worker is killed and the run fails.
    var timeoutSeconds: Double
    /// The program started as each worker (see `WorkerExecutable`).
    var executable: String = WorkerExecutable.path
    /// Called on the pool's thread as workers start and become ready (tests use it to learn pids).
    var observer: (@Sendable (PoolEvent) -> Void)?
}

/// Moments of a pool run that an observer can see.
enum PoolEvent: Sendable {
    /// Every worker was spawned; their pids, by worker index.
    case spawned([Int32])
    /// Every worker reported ready; work is about to be sent.
    case ready([Int32])
}

/// What a pool run measured.
struct PoolRun: Sendable {
    var checksum: Checksum
    /// Before the first spawn, when the last worker reported ready, and when
    /// the last worker reported its tasks and its workload's `finish()` done.
    var timeline: RunTimeline
    /// CPU time and context switches of every worker, as each reported them
    /// with its final report.
    var workerUsage: ResourceUsage
    /// Sum of each worker's own peak RSS (`VmHWM`, reported before it exits).
    var workerPeakKilobytes: Int
}
