import Platform
import Workloads

/// How a pool run hands task indices to its worker processes.
public enum TaskAssignment: Equatable, Sendable {
    /// One contiguous block per process, all sent when the workers are ready:
    /// the classic "split the range in P parts" program (hybrid's default).
    case blocks
    /// Chunks of `size` tasks from one queue in the parent, kept flowing ahead
    /// of results (process-pool, and hybrid with `--dispatch dynamic`).
    case chunks(size: Int)
    /// One task in flight in the whole pool: sent to the next worker in turn
    /// once the previous result is in (`--dispatch lockstep`, `Pool.apply` in a loop).
    case lockstep

    /// Python's `Pool.map` default: ceil(tasks / (4 x processes)), at least 1.
    public static func defaultChunkSize(tasks: Int, processes: Int) -> Int {
        let parts = 4 * max(processes, 1)
        return max(1, (tasks + parts - 1) / parts)
    }

    /// The block of worker `index` of `processes`: sizes differ by at most one.
    public static func block(_ index: Int, of processes: Int, tasks: Int) -> Range<Int> {
        (index * tasks / processes)..<((index + 1) * tasks / processes)
    }
}

/// What a pool is, what it runs and within what time: everything `WorkerPool.run` needs.
public struct PoolConfiguration: Sendable {
    public var workloadName: String
    /// The resolved parameters, as `ParameterValues.description`.
    public var parameters: String
    public var tasks: Int
    public var processes: Int
    /// How each worker runs its tasks: a thread team, or an async window.
    public var mode: WorkerMode
    public var assignment: TaskAssignment
    /// From the first spawn; past it every worker is killed and the run fails.
    public var timeoutSeconds: Double
    public var startMethod: StartMethod
    /// Whether workers time each task and send the histograms with their final report.
    public var timesTasks: Bool
    /// A program to spawn as the workers instead of bench-worker (tests use
    /// impostors); it implies the spawn start method.
    public var executable: String?
    /// Called on the pool's thread as workers start and become ready (tests use it to learn pids).
    public var observer: (@Sendable (PoolEvent) -> Void)?

    public init(
        workloadName: String, parameters: String, tasks: Int, processes: Int, mode: WorkerMode,
        assignment: TaskAssignment, timeoutSeconds: Double, startMethod: StartMethod = .default, timesTasks: Bool = false,
        executable: String? = nil,
        observer: (@Sendable (PoolEvent) -> Void)? = nil
    ) {
        self.workloadName = workloadName
        self.parameters = parameters
        self.tasks = tasks
        self.processes = processes
        self.mode = mode
        self.assignment = assignment
        self.timeoutSeconds = timeoutSeconds
        self.startMethod = startMethod
        self.timesTasks = timesTasks
        self.executable = executable
        self.observer = observer
    }
}

/// Moments of a pool run that an observer can see.
public enum PoolEvent: Sendable {
    /// Every worker was started; their pids, by worker index.
    case spawned([Int32])
    /// Every worker reported ready; work is about to be sent.
    case ready([Int32])
}

/// What a pool run measured.
public struct PoolSample: Sendable {
    public var checksum: Checksum
    /// Before the first spawn, when the last worker reported ready, and when
    /// the last worker reported its tasks and its workload's `finish()` done.
    public var timeline: SampleTimeline
    /// CPU time and context switches of every worker, as each reported them
    /// with its final report.
    public var workerUsage: ResourceUsage
    /// Sum of each worker's own peak RSS (`VmHWM`, reported before it exits).
    public var workerPeakKilobytes: Int
    /// Sum of each worker's account (PSS, USS, run-queue wait, migrations), sent after its final report.
    public var workerAccount: ProcessAccount
    /// Every worker's task times merged; nil when not asked for.
    public var taskTimes: TaskTimes?
}
