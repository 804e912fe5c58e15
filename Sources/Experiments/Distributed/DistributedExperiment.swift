import Engine
import Foundation
import Harness
import Platform
import Workloads

/// The seeds' master/worker, measured: what a task costs through the Redis
/// broker against the process pool's pipes (and the tutorial's own
/// BaseManager program against Python's pool), how sleep and xor scale with
/// 1, 2 and 4 distributed workers, and what a worker killed mid-sample costs
/// (its chunk redelivered, every task still counted once).
public struct DistributedExperiment: Experiment {
    public init() {}

    public var name: String { "distributed" }
    /// Its chunk-size-1 variants and the model whose worker is killed, each measured against its base model's baseline.
    public var modelBaselines: [String: String] {
        var baselines = [Self.killModel: DistributedModel.modelName]
        for name in Self.chunkedModels { baselines[ChunkedModel.name(of: name, chunkSize: 1)] = name }
        return baselines.mapValues { ModelCatalog.model(named: $0)?.baseline ?? $0 }
    }

    /// The models measured at chunk size 1 too.
    static let chunkedModels = ["process-pool", DistributedModel.modelName, "python-process-pool", "python-distributed"]
    public var summary: String {
        "master/worker through a Redis broker (and the tutorial's BaseManager program): per-task cost, scaling, a killed worker"
    }

    public var claims: [SeedClaim] { DistributedReport.claims }

    public var options: [OptionSpec] {
        Self.sampling.specs(
            noPython: "leave out the Python cells even when python3 is present",
            quick: "small tasks and 2 samples: a smoke test, not a measurement")
            + DistributedOptions.flags.filter { $0.name != "--remote-workers" }
    }

    static let sampling = SamplingOptions(quickRuns: 2, warmup: 1, quickWarmup: 0, claimChecks: 6)

    public var notes: [String] {
        [
            "noop at 2 workers, chunksize 1 and the default (ceil(tasks / (4 x workers))): per-task cost,\n(wall - setup) / tasks, of distributed and process-pool, and of python-distributed and\npython-process-pool. sleep (200 tasks of 10 ms) and xor (16 tasks) at 1, 2 and 4 workers,\nwith serial baselines. sleep at 4 workers once more with one worker SIGKILLed after a quarter of\nthe tasks (model distributed-kill1): its chunk is redelivered after --redelivery-timeout.",
            "Needs redis-server (bench starts its own unless --broker is given); the Python cells need python3.\nWrites experiment.csv: one row per measured quantity and per claim.",
        ]
    }

    /// Sizes of the full run and of `--quick`.
    struct Sizes {
        var overheadTasks: Int
        var chunkedOverheadTasks: Int
        var sleepTasks: Int
        var sleepMilliseconds: Int
        var xorTasks = 16
        var pythonIterations: Int
        static let full = Sizes(overheadTasks: 20_000, chunkedOverheadTasks: 2_000, sleepTasks: 200, sleepMilliseconds: 10, pythonIterations: 900_000)
        static let quick = Sizes(overheadTasks: 2_000, chunkedOverheadTasks: 200, sleepTasks: 40, sleepMilliseconds: 5, pythonIterations: 2_000)
    }

    /// Swift runs 16 times Python's xor iterations, as in the gil experiment, so both are long beside start-up.
    static let swiftFactor = 16
    static let workerCounts = [1, 2, 4]
    static let overheadWorkers = 2
    static let killModel = "distributed-kill1"

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let quick = arguments.has("--quick")
        let sizes = quick ? Sizes.quick : Sizes.full
        var options = try Self.sampling.matrixOptions(arguments)
        options.distributed = try DistributedOptions(arguments, workers: Self.workerCounts)
        if quick && !arguments.has("--redelivery-timeout") { options.distributed.redeliverySeconds = 1 }

        let python = PythonRuntime(options: options.python)
        let withPython = try Self.pythonIsWanted(arguments, runtime: python)
        let runtime = DistributedRuntime(options: options.distributed)
        let distributed = DistributedModel(runtime: runtime)
        let models: [any ConcurrencyModel] = ModelRegistry.all + PythonModels.all(runtime: python) + [
            distributed,
            DistributedModel(runtime: runtime, name: Self.killModel, killWorkerAfterTasks: sizes.sleepTasks / 4),
        ]
        let chunked = Self.chunkedModels
            .compactMap { name in models.first { $0.name == name } }
            .map { ChunkedModel(inner: $0, chunkSize: 1) as any ConcurrencyModel }
        let all = models + chunked

        var cells: [Cell] = []
        func add(_ workload: String, _ values: [String: ParameterValue], models names: [String], workers: [Int], tasks: Int) throws {
            var part = options
            part.workloads = [workload]
            part.workers = workers
            part.tasks = tasks
            part.parameterValues = values.mapValues { [$0] }
            for name in names where withPython || !name.hasPrefix("python-") {
                // The plan checks names against the catalog: an experiment's variant takes its base's cells.
                let base = all.first { $0.name == name }.flatMap { ($0 as? ChunkedModel)?.inner.name } ?? (name == Self.killModel ? DistributedModel.modelName : name)
                part.models = [base]
                cells += try MatrixPlan(part).cells.map { $0.withModel(name) }
            }
        }
        let pairs = [("process-pool", "distributed"), ("python-process-pool", "python-distributed")]
        let overheadModels = pairs.flatMap { [$0.0, $0.1] }
        try add("noop", [:], models: overheadModels.map { $0 + "-chunk1" }, workers: [Self.overheadWorkers], tasks: sizes.chunkedOverheadTasks)
        try add("noop", [:], models: overheadModels, workers: [Self.overheadWorkers], tasks: sizes.overheadTasks)
        let sleep: [String: ParameterValue] = ["sleep-ms": .number(sizes.sleepMilliseconds)]
        try add("sleep", sleep, models: ["serial", "distributed", "python-serial", "python-distributed"], workers: Self.workerCounts, tasks: sizes.sleepTasks)
        try add("sleep", sleep, models: [Self.killModel], workers: [4], tasks: sizes.sleepTasks)
        try add("xor", ["iterations": .number(sizes.pythonIterations * Self.swiftFactor)], models: ["serial", "distributed"], workers: Self.workerCounts, tasks: sizes.xorTasks)
        try add("xor", ["iterations": .number(sizes.pythonIterations)], models: ["python-serial", "python-distributed"], workers: Self.workerCounts, tasks: sizes.xorTasks)
        options.workloads = ["noop", "sleep", "xor"]
        options.models = Array(Set(cells.map(\.model))).sorted()
        let plan = MatrixPlan(options, cells: cells)
        return try Invocation.measure(
            plan, output: output, experiment: name, models: { name in all.first { $0.name == name } },
            report: { folder, results in
                let report = DistributedReport(results: results, runtime: runtime, sizes: sizes, swiftFactor: Self.swiftFactor)
                try folder.write(Data(report.csv().utf8), to: "experiment.csv")
                return ExperimentReport(text: report.text(), claims: report.claims)
            })
    }

    /// Whether the Python cells run: not with --no-python; not, with a note,
    /// when python3 is missing and no --python was given.
    static func pythonIsWanted(_ arguments: Arguments, runtime: PythonRuntime) throws -> Bool {
        if arguments.has("--no-python") { return false }
        do {
            _ = try runtime.resolve()
            return true
        } catch let error as any ReportableError where arguments.string("--python") == nil {
            printNote("note: \(error.what), so the Python cells are left out — \(error.fix), or pass --no-python")
            return false
        }
    }
}

extension Cell {
    /// The same cell under another model's name (an experiment's variant).
    func withModel(_ model: String) -> Cell {
        Cell(
            index: index, workload: workload, kind: kind, work: work, parameters: parameters, model: model, shape: shape,
            tasks: tasks, distinguishing: distinguishing)
    }
}
