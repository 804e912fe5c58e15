import Engine
import Foundation
import Harness
import Platform
import Workloads

/// The GIL, measured: the xor loop the tutorials invented to show it, on
/// threads and processes in CPython beside Swift, and waiting work (sleep,
/// HTTP to bench's own server) on threads and coroutines in both.
public struct GILExperiment: Experiment {
    public init() {}

    public var name: String { "gil" }
    public var summary: String { "CPython's GIL vs Swift: xor on threads and processes, sleep and http on threads and coroutines" }

    public var claims: [SeedClaim] { GILClaims.claims }

    /// Python's serial xor takes about half a second here at 16 x 900,000
    /// (~36 ns per iteration); Swift runs 16 times the iterations (~0.46 ns
    /// each), so that its cells too are long beside a pool's start-up.
    static let pythonIterations = 900_000
    static let swiftFactor = 16

    public var options: [OptionSpec] {
        [
            OptionSpec("--iterations", value: "N", help: "xor iterations per task in Python (default \(Self.pythonIterations); Swift runs \(Self.swiftFactor) times as many)"),
        ] + Self.sampling.specs(quick: "tiny tasks and 2 samples: a smoke test, not a measurement", interpreterAxis: true)
    }

    static let sampling = SamplingOptions(quickRuns: 2, warmup: 1, quickWarmup: 0, claimChecks: swiftChecks + pythonChecks)
    /// The claim checks per language (GILClaims.checks): Swift's, and each Python interpreter's.
    static let swiftChecks = 7
    static let pythonChecks = 7

    public var notes: [String] {
        [
            "xor (16 tasks): serial, thread and process-pool at 1, 2 and 4 workers, in CPython and Swift.\nsleep and http (64 tasks of 10 ms): serial, thread and async at 1, 16 and 64 workers, in both.",
            "Each claim is checked against the 95% interval of its measurement: it holds only when the whole\ninterval is on its side of the line, and is inconclusive when the interval covers the line.",
            "Needs python3 (3.8 or later); writes experiment.csv with one row per claim and language.\n--python python3.12,python3.13t checks every Python claim per interpreter, each against its own python-serial\n(the language column names the interpreter, with -nogil where it ran without the GIL).",
        ]
    }

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let quick = arguments.has("--quick")
        var options = try Self.sampling.matrixOptions(arguments, interpreterAxis: true)
        // Each further interpreter adds its own Python checks to the family Holm corrects over.
        options.sampling.claimsMinimum = AutoSampling.minimum(
            forClaims: Self.swiftChecks + Self.pythonChecks * max(1, options.python.interpreters.count))
        let iterations = try arguments.integer("--iterations", in: 1...100_000_000, example: Self.pythonIterations)
            ?? (quick ? 2_000 : Self.pythonIterations)
        let waitTasks = quick ? 8 : 64

        var cells: [Cell] = []
        func add(_ workload: String, _ values: [String: ParameterValue], models: [String], workers: [Int], tasks: Int) throws {
            var part = options
            part.workloads = [workload]
            part.models = models
            part.workers = workers
            part.tasks = tasks
            part.parameterValues = values.mapValues { [$0] }
            cells += try MatrixPlan(part).cells
        }
        try add("xor", ["iterations": .number(iterations)], models: ["python-serial", "python-thread", "python-process-pool"], workers: [1, 2, 4], tasks: 16)
        try add("xor", ["iterations": .number(iterations * Self.swiftFactor)], models: ["serial", "thread", "process-pool"], workers: [1, 2, 4], tasks: 16)
        let waits: [String: ParameterValue] = ["sleep-ms": .number(quick ? 2 : 10), "http-latency-ms": .number(quick ? 2 : 10)]
        for workload in ["sleep", "http"] {
            try add(
                workload, waits.filter { $0.key.hasPrefix(workload == "sleep" ? "sleep" : "http") },
                models: ["serial", "python-serial", "thread", "python-thread", "async", "python-async"],
                workers: quick ? [1, 4, 8] : [1, 16, 64], tasks: waitTasks)
        }
        options.workloads = ["xor", "sleep", "http"]
        options.models = ["serial", "thread", "process-pool", "async"] + ["serial", "thread", "process-pool", "async"].map { "python-" + $0 }
        let plan = MatrixPlan(options, cells: cells)
        let high = quick ? 8 : 64
        let middle = quick ? 4 : 16
        return try Invocation.measure(plan, output: output, experiment: name, report: { folder, results in
            let report = GILClaims(results: results, pythonIterations: iterations, swiftFactor: Self.swiftFactor, middle: middle, high: high)
            try folder.write(Data(report.csv().utf8), to: "experiment.csv")
            return ExperimentReport(text: report.table(), claims: report.claims)
        })
    }
}
