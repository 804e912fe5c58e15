import Engine
import Foundation
import Harness
import Platform
import Workloads

/// The seed's Pool call styles, measured: `apply` in a loop against
/// `apply_async`, `map` against lazy `imap`, `imap_unordered`, and chunk sizes
/// from 1 to 256, with 2 workers and tasks of about 1 µs, 100 µs and 10 ms;
/// Swift's process-pool at the same chunk sizes and in lockstep (one task
/// sent, its result awaited, as `apply` in a loop); and the seed's rule that a
/// `multiprocessing.Queue` cannot go to a Pool while `Manager().Queue()` can.
public struct PoolCallsExperiment: Experiment {
    public init() {}

    public var name: String { "pool-calls" }
    public var summary: String { "Pool.apply, apply_async, map, imap, imap_unordered and chunk sizes vs Swift's process-pool (2 workers)" }
    public var claims: [SeedClaim] { PoolCallsReport.claims }

    static let workers = 2
    /// The claims table's checks decided by an interval: apply and lockstep
    /// at 3 task sizes, map's wait, and chunks at 3 sizes in both languages.
    /// With the default 8 every ratio claim stopped at Holm p = 0.051.
    static let intervalChecks = 13

    static let taskParameter = ParameterDeclaration.count(
        "task-us", default: 1, range: 1...10_000_000,
        help: "task sizes in µs of one core, comma-separated (default 1,100,10000): xor iterations calibrated per language")
    static let chunkParameter = ParameterDeclaration.count(
        "chunksize", default: 1, range: 1...100_000, help: "chunk sizes, comma-separated (default 1,4,16,64,256)")
    static let defaultTaskSizes = [1, 100, 10_000]
    static let defaultChunks = [1, 4, 16, 64, 256]
    /// The lazy input: this many items, one every `delayMilliseconds`, tasks of 100 µs.
    static let lazyTasks = 100
    static let delayMilliseconds = 2

    public var options: [OptionSpec] {
        [ProbeOptions.spec(Self.taskParameter, list: true), ProbeOptions.spec(Self.chunkParameter, list: true)]
            + ProbeOptions.specs(forClaims: Self.intervalChecks)
    }

    public var notes: [String] {
        [
            "Tasks per sample: 200,000 µs of work in all (at most 10,000, at least 40 tasks); --quick a tenth.\nEach language's xor iterations are calibrated so that one task takes about --task-us on one core.",
            "Python: apply in a loop, apply_async, then map, imap, imap_unordered at each --chunksize; map and imap\nover a generator that makes one item every \(Self.delayMilliseconds) ms (time to the first result); and whether a\nmultiprocessing.Queue and a Manager().Queue() can be passed to a Pool task.\nSwift: process-pool at each --chunksize (pipelined), and --dispatch lockstep.",
            "The Pool (or the workers) start before the span: wall_s is from the first call to the last result.",
        ]
    }

    static let metrics = [
        ProbeMetric("wall_s", unit: "s"), ProbeMetric("us_per_task", unit: "us"), ProbeMetric("tasks_per_s", unit: "task/s"),
        ProbeMetric("first_result_s", unit: "s"), ProbeMetric("mp_queue_raises", unit: "yes=1"),
        ProbeMetric("manager_queue_works", unit: "yes=1"),
    ]

    static func tasks(for microseconds: Int, quick: Bool) -> Int {
        let count = min(10_000, max(40, 200_000 / microseconds))
        return quick ? max(8, count / 10) : count
    }

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let sizes = try ProbeOptions.list(arguments, Self.taskParameter, default: Self.defaultTaskSizes).sorted()
        let chunks = try ProbeOptions.list(arguments, Self.chunkParameter, default: Self.defaultChunks).sorted()
        let probe = try ProbeOptions(arguments, script: "python/seed_pool_calls.py", claimChecks: Self.intervalChecks)
        let runs = probe.runs
        let swiftNanoseconds = try Self.swiftNanosecondsPerIteration()
        var notes = probe.notes
        notes["swift_ns_per_iteration"] = .number(swiftNanoseconds)
        var configurations: [ProbeConfiguration] = []
        for size in sizes {
            let tasks = Self.tasks(for: size, quick: probe.quick)
            let iterations = max(1, Int((Double(size) * 1000 / swiftNanoseconds).rounded()))
            let dispatches: [(String, String, PoolOptions)] = chunks.map {
                ("process-pool", "chunksize=\($0)", PoolOptions(chunkSize: $0, dispatch: .dynamic))
            } + [("lockstep", "", PoolOptions(chunkSize: 1, dispatch: .lockstep))]
            for (style, variant, pool) in dispatches {
                let key = ProbeKey("swift", style, variant: variant, size: size, sizeUnit: "us")
                configurations.append(ProbeConfiguration(key) {
                    try (0..<runs).map { _ in
                        ProbeSample(key, try Self.swiftSample(iterations: iterations, tasks: tasks, pool: pool, timeout: probe.timeoutSeconds))
                    }
                })
            }
        }
        if let python = probe.python {
            let calibration = try python.run(["style": "calibrate", "samples": .integer(1)], timeoutSeconds: probe.timeoutSeconds)[0]
            let perIteration = max(calibration["ns_per_iteration"] ?? 40, 1)
            let call = calibration["task_ns"] ?? 0
            notes["python_ns_per_iteration"] = .number(perIteration)
            notes["python_task_ns"] = .number(call)
            func pythonConfiguration(_ key: ProbeKey, _ spec: [String: JSONValue]) -> ProbeConfiguration {
                ProbeConfiguration(key) {
                    var spec = spec
                    spec["samples"] = .integer(runs)
                    return try python.run(spec, timeoutSeconds: probe.timeoutSeconds).map { ProbeSample(key, $0) }
                }
            }
            func spec(_ style: String, chunk: Int, size: Int, tasks: Int) throws -> [String: JSONValue] {
                let iterations = max(0, Int(((Double(size) * 1000 - call) / perIteration).rounded()))
                return [
                    "style": .string(style), "chunksize": .integer(chunk), "tasks": .integer(tasks), "iterations": .integer(iterations),
                    "expected": .string(try Self.expectedChecksum(iterations: iterations, tasks: tasks).description),
                    "workers": .integer(Self.workers), "delay_ms": .integer(Self.delayMilliseconds),
                ]
            }
            for size in sizes {
                let tasks = Self.tasks(for: size, quick: probe.quick)
                for style in ["apply", "apply_async"] {
                    configurations.append(pythonConfiguration(
                        ProbeKey("python", style, size: size, sizeUnit: "us"), try spec(style, chunk: 1, size: size, tasks: tasks)))
                }
                for style in ["map", "imap", "imap_unordered"] {
                    for chunk in chunks {
                        configurations.append(pythonConfiguration(
                            ProbeKey("python", style, variant: "chunksize=\(chunk)", size: size, sizeUnit: "us"),
                            try spec(style, chunk: chunk, size: size, tasks: tasks)))
                    }
                }
            }
            for style in ["map-lazy", "imap-lazy"] {
                configurations.append(pythonConfiguration(
                    ProbeKey("python", style, variant: "chunksize=1", size: 100, sizeUnit: "us"),
                    try spec(style, chunk: 1, size: 100, tasks: probe.quick ? Self.lazyTasks / 4 : Self.lazyTasks)))
            }
            configurations.append(pythonConfiguration(ProbeKey("python", "pool-queue"), ["style": "pool-queue"]))
        }
        return try Invocation.probe(
            experiment: name, options: probe.matrixOptions, output: output, notes: notes, metrics: Self.metrics,
            configurations: probe.shuffled(configurations)
        ) { results in
            let report = PoolCallsReport(results: results, sizes: sizes, chunks: chunks)
            return ExperimentReport(text: report.text, claims: report.claims)
        }
    }

    /// One sample of Swift's process-pool: the time from the workers' ready to the last result.
    static func swiftSample(iterations: Int, tasks: Int, pool: PoolOptions, timeout: Double) throws -> [String: Double] {
        let job = Job(
            workload: try XorWorkload(iterations: iterations), workloadName: "xor",
            parameters: ParameterValues(["iterations": .number(iterations)]), tasks: tasks,
            shape: .processes(workers, threadsEach: 1), pool: pool, timeoutSeconds: timeout)
        let execution = try ProcessPoolModel().execute(job)
        let expected = try expectedChecksum(iterations: iterations, tasks: tasks)
        guard execution.checksum == expected else {
            throw BenchError.runFailed(
                "the pool returned checksum \(execution.checksum) over \(execution.checksum.taskCount) tasks, expected \(expected)",
                fix: "the pool lost, repeated or changed tasks; this is a bug")
        }
        let seconds = execution.wallSeconds - execution.setupSeconds
        return ["wall_s": seconds, "us_per_task": seconds * 1e6 / Double(tasks), "tasks_per_s": Double(tasks) / seconds]
    }

    /// The checksum of xor tasks 0..<tasks at `iterations`: the same in Swift and Python.
    static func expectedChecksum(iterations: Int, tasks: Int) throws -> Checksum {
        let workload = try XorWorkload(iterations: iterations)
        var checksum = Checksum()
        for task in 0..<tasks { checksum.add(task: task, result: try workload.run(task: task)) }
        return checksum
    }

    /// ns per xor iteration here, the fastest of a few runs of ten million.
    static func swiftNanosecondsPerIteration() throws -> Double {
        let iterations = 10_000_000
        let workload = try XorWorkload(iterations: iterations)
        var best = Double.infinity
        for task in 0..<3 {
            let start = MonotonicClock.now()
            _ = try workload.run(task: task)
            best = min(best, MonotonicClock.seconds(since: start))
        }
        return best * 1e9 / Double(iterations)
    }
}
