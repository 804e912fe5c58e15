import Engine
import Harness
import Platform
import Workloads

/// The flags that choose a matrix, shared by every subcommand that runs one,
/// and their translation into `MatrixOptions`. The workload parameters'
/// flags come from the workloads' declarations, never from a list here.
enum MatrixFlags {
    private static let defaults = MatrixOptions()

    static let matrix: [OptionSpec] = [
        OptionSpec("--workload", value: "LIST", help: "workloads to run, comma-separated or all (default: \(WorkloadRegistry.defaultMatrix.joined(separator: ",")); see 'bench list')"),
        OptionSpec("--model", value: "LIST", help: "models to run, comma-separated or all (default: \(ModelCatalog.defaultMatrix.joined(separator: ",")))"),
        OptionSpec("--workers", value: "LIST", help: "worker counts: threads, processes, or tasks in flight (default \(list(defaults.workers)); --quick \(list(MatrixOptions.quickWorkers)))"),
        OptionSpec("--processes", value: "LIST", help: "process counts of hybrid and process-async; --workers is then per process (default \(list(defaults.processes)))"),
        OptionSpec("--tasks", value: "N", help: "tasks per cell (default: per workload, see 'bench list')"),
    ] + SamplingOptions.samplingSpecs(quickRuns: MatrixOptions.quickRuns, budgetSeconds: defaults.sampling.budgetSeconds) + [
        OptionSpec("--warmup", value: "N", help: "unrecorded warmup samples per cell before measuring (default \(defaults.warmup))"),
        OptionSpec("--seed", value: "N", help: "seed of the shuffled sample order (default \(defaults.seed))"),
        OptionSpec("--timeout", value: "SECONDS", help: "longest one sample of a cell may take before it is stopped (default \(Int(defaults.timeoutSeconds)))"),
        OptionSpec("--quick", help: "a small matrix for smoke tests: fewer workers, 3 samples (too few for an interval: no verdicts), no warmup, fewer and lighter tasks"),
        OptionSpec("--no-verify", help: "do not compare each sample's checksum with the reference (for a python-function whose result varies from run to run; meta.json records it)"),
        OptionSpec("--no-task-timing", help: "do not time each task (task_p50_s, task_p99_s and the queue columns stay empty), e.g. to measure what timing costs"),
        OptionSpec("--cpus", value: "LIST", help: "pin every sample (bench, its workers, the fork server) to these CPUs, e.g. 0 or 0,1; give it again (--cpus 0 --cpus 0,1) to make cores an axis of the matrix"),
    ]

    /// Where the run goes; the `--export-<format>` flags come from the table of exporters.
    static let output: [OptionSpec] = [
        OptionSpec("--out", value: "DIR", help: "results root; the run gets its own folder inside and DIR/latest points at it (default results)"),
        OptionSpec("--label", value: "NAME", help: "suffix of the run folder's name (default: default, quick or run)"),
        OptionSpec("--no-plot", help: "do not call plot.sh at the end"),
        OptionSpec("--no-report", help: "do not write report.html (the tables, verdicts, meta and charts on one page) into the run folder at the end"),
    ] + Exporters.options + [
        OptionSpec("--allow-disturbed", help: "write into a docs/ folder even when the machine was busy (the run is then marked disturbed; without it such a run is kept in results/ and bench exits 1)"),
    ]

    /// Every workload parameter's flag, from its declaration, and each
    /// workload's own task-count flag (print's --items).
    static var workloadParameters: [OptionSpec] {
        WorkloadRegistry.parameters.map { parameter in
            OptionSpec(parameter.flag, value: parameter.kind.placeholder.map { parameter.isScannable ? "\($0)[,...]" : $0 }, help: parameter.helpWithDefaults)
        } + WorkloadRegistry.all.compactMap { declaration in
            declaration.tasksFlag.map {
                OptionSpec("--\($0)", value: "N", help: "\(declaration.name): tasks per cell, by its own count (default \(declaration.defaultTasks); wins over --tasks for \(declaration.name))")
            }
        }
    }

    static let pool: [OptionSpec] = [
        OptionSpec("--chunksize", value: "N", help: "process-pool, and hybrid with --dispatch dynamic: tasks per message (default ceil(tasks / (4 x processes)), as Python's Pool)"),
        OptionSpec("--dispatch", value: "MODE", help: "hybrid: static = one block of tasks per process, dynamic = chunks from the parent's queue; process-pool and hybrid: lockstep = one task in flight, the next sent when its result is in, as Pool.apply in a loop (default \(defaults.pool.dispatch.rawValue))"),
        OptionSpec("--start-method", value: "NAME", help: "how pool workers start: spawn = posix_spawn of bench-worker each (setup_s includes it), forkserver = forked by one bench-worker server started before the first sample (setup_s includes the fork, not the server's start; meta.json records that) (default \(StartMethod.default.rawValue))"),
    ]

    static let python: [OptionSpec] = [
        OptionSpec("--python", value: "PATH[,...]", help: "the interpreter of the python-* models (default: python3 on PATH, a pyenv shim resolved to the real binary); several, e.g. python3.12,python3.13t, make interpreters an axis of the matrix, each with its own python-serial baseline"),
        OptionSpec("--python-start-method", value: "NAME", help: "multiprocessing start method of python-process-pool, python-hybrid and python-process-async: fork, spawn or forkserver (default: the interpreter's own)"),
    ]

    static var all: [OptionSpec] { matrix + output + workloadParameters + pool + python + DistributedOptions.flags }

    /// Builds the matrix: `--quick` chooses the base, explicit flags override it.
    static func options(from arguments: Arguments) throws -> MatrixOptions {
        var options = arguments.has("--quick") ? MatrixOptions.quickDefaults : MatrixOptions()
        if let workloads = try arguments.choiceList("--workload", from: WorkloadRegistry.names, noun: "workload") {
            options.workloads = workloads
        }
        // Without python/ beside the build there are no python-* models: say so rather than "unknown model".
        if let problem = PythonModels.problem,
           arguments.string("--model")?.split(separator: ",").contains(where: { $0.hasPrefix("python-") }) ?? false {
            throw problem
        }
        if let models = try arguments.choiceList("--model", from: ModelCatalog.names, noun: "model") {
            options.models = models
        } else if options.workloads.allSatisfy({ WorkloadRegistry.declaration(named: $0)?.runsOnlyInPython == true }) {
            // Python code (python-function) runs under the python-* models only: they are its default.
            options.models = ModelCatalog.names.filter { ModelCatalog.model(named: $0) is PythonDriverModel }
            if let problem = PythonModels.problem { throw problem }
        }
        options.workers = try arguments.integerList("--workers", in: 1...100_000, example: "1,2,4,64") ?? options.workers
        options.processes = try arguments.integerList("--processes", in: 1...1_024, example: "2,4") ?? options.processes
        options.tasks = try arguments.integer("--tasks", in: 1...100_000_000, example: 64) ?? options.tasks
        try SamplingOptions.applySampling(arguments, to: &options)
        options.warmup = try arguments.integer("--warmup", in: MatrixOptions.warmupRange, example: 1) ?? options.warmup
        options.seed = try arguments.integer("--seed", in: 0...Int.max, example: 42).map(UInt64.init) ?? options.seed
        options.timeoutSeconds = try arguments.seconds("--timeout", example: "60") ?? options.timeoutSeconds
        for parameter in WorkloadRegistry.parameters where arguments.has(parameter.flag) {
            options.parameterValues[parameter.name] = parameter.kind == .flag
                ? [.flag(true)] : try parameter.parseList(arguments.string(parameter.flag) ?? "")
        }
        for declaration in WorkloadRegistry.all {
            guard let flag = declaration.tasksFlag.map({ "--\($0)" }) else { continue }
            if let count = try arguments.integer(flag, in: 1...100_000_000, example: declaration.defaultTasks) {
                options.workloadTasks[declaration.name] = count
            }
        }
        options.pool.chunkSize = try arguments.integer("--chunksize", in: 1...100_000_000, example: 16) ?? options.pool.chunkSize
        if let dispatch = try arguments.choice("--dispatch", from: PoolOptions.Dispatch.allCases.map(\.rawValue)) {
            options.pool.dispatch = PoolOptions.Dispatch(rawValue: dispatch)!
        }
        if let method = try arguments.choice("--start-method", from: StartMethod.allCases.map(\.rawValue)) {
            options.pool.startMethod = StartMethod(rawValue: method)!
        }
        options.cpuSets = try cpuSets(arguments)
        options.timesTasks = !arguments.has("--no-task-timing")
        options.verifiesChecksums = !arguments.has("--no-verify")
        options.python.interpreters = try arguments.string("--python").map(PythonOptions.parseList) ?? []
        options.python.startMethod = try arguments.choice("--python-start-method", from: ["fork", "spawn", "forkserver"])
        options.distributed = try DistributedOptions(arguments, workers: options.workers)
        return options
    }

    /// Every `--cpus` set, each checked against the CPUs this invocation may use.
    static func cpuSets(_ arguments: Arguments) throws -> [[Int]] {
        let allowed = CPUAffinity.allowed()
        var sets: [[Int]] = []
        for text in arguments.repeated["--cpus"] ?? [] {
            var set: [Int] = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let cpu = Int(item), cpu >= 0 else {
                    throw BenchError.usage("--cpus expects CPU numbers separated by commas, got '\(text)'", fix: "e.g. --cpus 0,1")
                }
                guard allowed.contains(cpu) else {
                    throw BenchError.usage(
                        "--cpus \(text): CPU \(cpu) is not one this invocation may use",
                        fix: "choose from \(allowed.map(String.init).joined(separator: ","))")
                }
                if !set.contains(cpu) { set.append(cpu) }
            }
            if !sets.contains(set.sorted()) { sets.append(set.sorted()) }
        }
        return sets
    }

    private static func list(_ values: [Int]) -> String {
        values.map(String.init).joined(separator: ",")
    }
}
