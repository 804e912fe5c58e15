import Engine
import Foundation
import Harness
import Platform
import Workloads

/// Where the winner changes: tasks of one fixed time, from all waiting to
/// all computing, with results from a few bytes to a mebibyte, under threads,
/// async and a process pool, in Swift and in CPython, at the core count and
/// at 4 and 16 times it. Per point it names the fastest model and its margin
/// over the runner-up with an interval; then where a pool overtakes threads
/// as the CPU share grows, and where results grow too large for pools.
public struct CrossoverExperiment: Experiment {
    public init() {}

    public var name: String { "crossover" }
    /// The map is one family: Holm's correction runs over all of its comparisons.
    public var verdictFamily: VerdictPolicy.Family { .run }
    public var summary: String { "the map of winners: CPU share x result size, threads vs async vs a pool, Swift and Python" }

    public var claims: [SeedClaim] {
        [
            SeedClaim(
                "for CPU-bound tasks Python's threads are no different from one thread, maybe slower; for IO-bound tasks such as HTTP requests they still help",
                source: SeedFile.seed002),
            SeedClaim(
                "processes run code in parallel, but once there are too many the CPU cannot keep up and they wait too",
                source: SeedFile.seed002),
        ]
    }

    static let defaultTaskMilliseconds = 4
    static let defaultSizes = [8, 4 << 10, 64 << 10, 1 << 20]
    static let defaultTasks = 32

    public var options: [OptionSpec] {
        [
            OptionSpec("--task-ms", value: "MS", help: "each task's time, computing plus waiting; the CPU shares are its whole milliseconds (default \(Self.defaultTaskMilliseconds): 0, 25, 50, 75, 100%)"),
            OptionSpec("--result-bytes", value: "LIST", help: "result sizes (default \(Self.defaultSizes.map(String.init).joined(separator: ",")))"),
            OptionSpec("--workers", value: "LIST", help: "worker counts (default: the core count, 4x and 16x it)"),
            OptionSpec("--model", value: "LIST", help: "models that compete (default \((CrossoverConfiguration.swiftModels + CrossoverConfiguration.pythonModels).joined(separator: ",")))"),
            OptionSpec("--no-python", help: "leave the python-* models out"),
            OptionSpec("--tasks", value: "N", help: "tasks per cell (default \(Self.defaultTasks))"),
            OptionSpec("--memory-kib", value: "KIB", help: "memory each task writes (default \(ProfileWorkload.memoryParameter.defaultValue))"),
            OptionSpec("--wait", value: "HOW", help: "how tasks wait: sleep (default) or http (a request to bench's local server)"),
        ] + Self.sampling.specs(quick: "2 ms tasks, two sizes, the core count only, 8 tasks, 2 samples: a smoke test, not a measurement")
    }

    static let sampling = SamplingOptions(quickRuns: 2, warmup: 0, quickWarmup: 0)

    public var notes: [String] {
        [
            "Runs the profile workload at every CPU share x result size: computing with the xor chain,\nwaiting with a blocking sleep on threads and Task.sleep / asyncio.sleep under async (or a request\nto bench's local server with --wait http), writing --memory-kib of fresh memory, and returning\nresults that the pools carry back whole. Speedups are over the same language's serial.",
            "At each point and width it names the fastest model of each language and its margin over the\nrunner-up: the median of the paired per-round ratios with its 95% interval and the sign test's p,\nHolm-corrected over every comparison of the map; inconclusive when the interval covers 1 or the\np-value does not survive the correction, equivalent when the whole interval lies within --margin.\nThen, per language and width, the CPU share from which the process pool is clearly faster than\nthreads (smallest results), and the result size from which threads are clearly faster than the\npool at 100% CPU.",
            "--runs auto takes the samples a map of this many comparisons needs under Holm's correction (13\nfor the default's 120), within --budget. Writes experiment.csv (one row per model and point) for\nplot/experiment-crossover.gp: the map of winners and speedup against CPU share.",
        ]
    }

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let quick = arguments.has("--quick")
        let cores = max(1, CPUAffinity.allowed().count)
        var options = try Self.sampling.matrixOptions(arguments)
        let available = CrossoverConfiguration.swiftModels + CrossoverConfiguration.pythonModels + ["hybrid", "process-async", "python-hybrid", "python-process-async"]
        var models = try arguments.choiceList("--model", from: available, noun: "model")
            ?? CrossoverConfiguration.swiftModels + CrossoverConfiguration.pythonModels
        if arguments.has("--no-python") { models.removeAll { $0.hasPrefix("python-") } }
        let sizeRange = ProfileWorkload.resultParameter.range ?? 0...(16 << 20)
        let configuration = CrossoverConfiguration(
            taskMilliseconds: try arguments.integer("--task-ms", in: 1...1_000, example: 4) ?? (quick ? 2 : Self.defaultTaskMilliseconds),
            resultSizes: try arguments.integerList("--result-bytes", in: sizeRange, example: "8,65536")?.sorted()
                ?? (quick ? [8, 64 << 10] : Self.defaultSizes),
            widths: try arguments.integerList("--workers", in: 1...10_000, example: "2,8,32")?.sorted()
                ?? (quick ? [cores] : [cores, 4 * cores, 16 * cores]),
            models: models,
            tasks: try arguments.integer("--tasks", in: 1...1_000_000, example: 64) ?? (quick ? 8 : Self.defaultTasks),
            memoryKibibytes: try arguments.integer("--memory-kib", in: ProfileWorkload.memoryParameter.range ?? 0...0, example: 64)
                ?? (ProfileWorkload.memoryParameter.defaultValue.number ?? 0))
        let wait = try arguments.choice("--wait", from: ProfileWorkload.Wait.allCases.map(\.rawValue)) ?? ProfileWorkload.Wait.sleep.rawValue
        guard !models.isEmpty else {
            throw BenchError.usage("no model left to compare", fix: "give --model, or drop --no-python")
        }

        var cells: [Cell] = []
        for language in [models.filter { !$0.hasPrefix("python-") }, models.filter { $0.hasPrefix("python-") }] where !language.isEmpty {
            var part = options
            part.workloads = ["profile"]
            part.models = [language[0].hasPrefix("python-") ? "python-serial" : "serial"] + language
            part.workers = configuration.widths
            // hybrid and process-async: as many processes as cores, the width spread over them.
            part.processes = [cores]
            part.tasks = configuration.tasks
            part.parameterValues = [
                "cpu-us": (0...configuration.taskMilliseconds).map { .number(1000 * $0) },
                "wait-ms": (0...configuration.taskMilliseconds).map { .number($0) },
                "result-bytes": configuration.resultSizes.map { .number($0) },
                "memory-kib": [.number(configuration.memoryKibibytes)],
                "wait": [.text(wait)],
            ]
            // The cross product has every cpu-us with every wait-ms: keep the splits of the task time.
            cells += try MatrixPlan(part).cells.filter {
                $0.parameters.number("cpu-us") + 1000 * $0.parameters.number("wait-ms") == 1000 * configuration.taskMilliseconds
            }
        }
        options.workloads = ["profile"]
        options.models = models
        options.verdictFamily = verdictFamily
        let plan = MatrixPlan(options, cells: cells)
        return try Invocation.measure(plan, output: output, experiment: name, notes: [
            "crossover": .object([
                "task_ms": .integer(configuration.taskMilliseconds), "wait": .string(wait),
                "result_bytes": .array(configuration.resultSizes.map { .integer($0) }),
                "workers": .array(configuration.widths.map { .integer($0) }), "cores": .integer(cores),
            ]),
        ], report: { folder, results in
            let report = CrossoverReport(results: results, configuration: configuration, cores: cores)
            try folder.write(Data(report.csv().utf8), to: "experiment.csv")
            return ExperimentReport(text: report.table())
        })
    }
}
