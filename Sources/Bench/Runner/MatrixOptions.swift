import Workloads

/// What to measure and how often: the parsed form of the matrix flags.
struct MatrixOptions: Sendable {
    var workloads: [String] = WorkloadRegistry.names
    var models: [ModelName] = ModelRegistry.available
    var workers: [Int] = MatrixOptions.defaultWorkers
    /// Hybrid's process count; `workers` are then threads per process.
    var processes = 4
    /// Nil: each workload's default (or quick) task count.
    var tasks: Int?
    /// Lines per cell for a printing workload (`--items`); wins over `tasks` there.
    var items: Int?
    var runs = 5
    var warmup = 1
    var seed: UInt64 = 1
    /// Seconds one run of a cell may take before it is stopped.
    var timeoutSeconds: Double = 120
    /// Seconds of measuring after which a cell takes no more runs; nil: no bound.
    var maxTimeSeconds: Double?
    var quick = false
    var parameters = WorkloadParameters()
    var pool = PoolOptions()

    static let defaultWorkers = [1, 2, 4, 16, 64]
    static let quickWorkers = [1, 2, 4]
    static let quickRuns = 3

    /// The smaller matrix of `--quick`: fewer worker counts, runs and tasks, lighter tasks.
    /// Values the user gave explicitly are applied after this and win.
    static var quickDefaults: MatrixOptions {
        var options = MatrixOptions()
        options.quick = true
        options.workers = quickWorkers
        options.runs = quickRuns
        options.parameters.iterations = 1_000_000
        options.parameters.sleepMilliseconds = 5
        options.parameters.httpLatencyMilliseconds = 5
        return options
    }

    /// Tasks per cell for `workload`.
    func taskCount(for descriptor: WorkloadDescriptor) -> Int {
        if descriptor.printedTask != nil, let items { return items }
        return tasks ?? (quick ? descriptor.quickTasks : descriptor.defaultTasks)
    }
}
