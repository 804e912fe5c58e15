import Engine
import Workloads

/// What to measure and how often: the parsed form of the matrix flags.
public struct MatrixOptions: Sendable {
    public var workloads: [String] = WorkloadRegistry.defaultMatrix
    public var models: [String] = ModelCatalog.defaultMatrix
    public var workers: [Int] = MatrixOptions.defaultWorkers
    /// Process counts of the models that take them (hybrid, process-async);
    /// `workers` are then threads, or tasks in flight, per process.
    public var processes: [Int] = [4]
    /// Nil: each workload's default (or quick) task count.
    public var tasks: Int?
    /// Task counts given with a workload's own flag (print's `--items`), by workload.
    public var workloadTasks: [String: Int] = [:]
    /// Measured samples per cell: a fixed count, or `auto` (to `sampling.precision`).
    public var runs = SampleCount.auto
    /// The bounds and target of `--runs auto`.
    public var sampling = AutoSampling()
    public var warmup = 1
    public var seed: UInt64 = 1
    /// Seconds one sample of a cell may take before it is stopped.
    public var timeoutSeconds: Double = 120
    /// Seconds of measuring after which a cell takes no more samples; nil: no
    /// bound. Under `--runs auto` a cell still takes its first 6.
    public var maxTimeSeconds: Double?
    /// A winner within this of its runner-up is "equivalent" (`--margin`).
    public var margin = VerdictPolicy.defaultMargin
    /// The comparisons Holm's correction treats as one family.
    public var verdictFamily = VerdictPolicy.Family.group
    public var quick = false
    /// Workload parameter values the user gave, by parameter name: one cell
    /// per value where a list was given (a scan). Absent: the declared default.
    public var parameterValues: [String: [ParameterValue]] = [:]
    public var pool = PoolOptions()
    /// How the Python models find and run their interpreter.
    public var python = PythonOptions()
    /// CPU sets to pin the samples to (`--cpus`, repeatable): each set is a
    /// value of the cores axis; empty: not pinned.
    public var cpuSets: [[Int]] = []
    /// Time each task (the latency columns) where its workload allows;
    /// false (`--no-task-timing`) leaves those columns empty, to measure
    /// what the timing costs.
    public var timesTasks = true
    /// Compare every sample's checksum with the reference; false
    /// (`--no-verify`) records them unchecked, for a function whose result
    /// varies from run to run.
    public var verifiesChecksums = true
    /// The distributed model's broker and workers.
    public var distributed = DistributedOptions()

    public static let defaultWorkers = [1, 2, 4, 16, 64]
    public static let quickWorkers = [1, 2, 4]
    /// `--quick`: a smoke test, honest that 3 samples give no interval.
    public static let quickRuns = 3
    /// What `--runs` and `--warmup` accept, in `bench run` and every experiment alike.
    public static let runsRange = 1...10_000
    public static let warmupRange = 0...1_000

    public init() {}

    /// The smaller matrix of `--quick`: fewer worker counts, runs and tasks, no warmup,
    /// lighter tasks (each parameter's declared quick value). Values the user
    /// gave explicitly are applied after this and win.
    public static var quickDefaults: MatrixOptions {
        var options = MatrixOptions()
        options.quick = true
        options.workers = quickWorkers
        options.runs = .fixed(quickRuns)
        // A smoke test: no warmup round, so that it stays near ten seconds.
        options.warmup = 0
        return options
    }

    /// Tasks per cell for `workload`.
    public func taskCount(for declaration: WorkloadDeclaration) -> Int {
        workloadTasks[declaration.name] ?? tasks ?? (quick ? declaration.quickTasks : declaration.defaultTasks)
    }

    /// The values of `parameter` the matrix scans: the user's list, or the declared default.
    public func values(of parameter: ParameterDeclaration) -> [ParameterValue] {
        parameterValues[parameter.name] ?? [parameter.value(quick: quick)]
    }
}
