import Workloads

/// The flags that choose a matrix, shared by every subcommand that runs one,
/// and their translation into `MatrixOptions`.
enum MatrixFlags {
    private static let defaults = MatrixOptions()
    private static let parameterDefaults = WorkloadParameters()

    static let matrix: [OptionSpec] = [
        OptionSpec("--workload", value: "LIST", help: "workloads to run, comma-separated or all (default: all; see 'bench list')"),
        OptionSpec("--model", value: "LIST", help: "models to run, comma-separated or all (default: all)"),
        OptionSpec("--workers", value: "LIST", help: "worker counts: threads, processes, or async in-flight limit (default \(list(defaults.workers)); --quick \(list(MatrixOptions.quickWorkers)))"),
        OptionSpec("--processes", value: "N", help: "hybrid's process count; --workers is then threads per process (default \(defaults.processes))"),
        OptionSpec("--tasks", value: "N", help: "tasks per cell (default: per workload, see 'bench list')"),
        OptionSpec("--runs", value: "N", help: "measured runs per cell (default \(defaults.runs); --quick \(MatrixOptions.quickRuns))"),
        OptionSpec("--warmup", value: "N", help: "unrecorded warmup runs per cell before measuring (default \(defaults.warmup))"),
        OptionSpec("--seed", value: "N", help: "seed of the shuffled run order (default \(defaults.seed))"),
        OptionSpec("--timeout", value: "SECONDS", help: "longest one run of a cell may take before it is stopped (default \(Int(defaults.timeoutSeconds)))"),
        OptionSpec("--max-time", value: "SECONDS", help: "stop taking runs of a cell once its runs add up to this (default: no bound)"),
        OptionSpec("--quick", help: "a small matrix for smoke tests: fewer workers, runs and tasks, lighter tasks"),
    ]

    static let output: [OptionSpec] = [
        OptionSpec("--out", value: "DIR", help: "results root; the run gets its own folder inside and DIR/latest points at it (default results)"),
        OptionSpec("--label", value: "NAME", help: "suffix of the run folder's name (default: default, quick or run)"),
        OptionSpec("--no-plot", help: "do not call plot.sh at the end"),
    ]

    static let workloadParameters: [OptionSpec] = [
        OptionSpec("--iterations", value: "N", help: "xor: loop iterations per task (default \(parameterDefaults.iterations); --quick \(MatrixOptions.quickDefaults.parameters.iterations))"),
        OptionSpec("--sleep-ms", value: "N", help: "sleep: milliseconds per task (default \(parameterDefaults.sleepMilliseconds); --quick \(MatrixOptions.quickDefaults.parameters.sleepMilliseconds))"),
        OptionSpec("--items", value: "N", help: "print: lines per cell, one per task (default \(WorkloadRegistry.descriptor(named: "print")?.defaultTasks ?? 0); wins over --tasks for print)"),
        OptionSpec("--sink", value: "NAME", help: "print: where lines go: pipe (read and checked), file (checked), devnull, tty (a pseudo-terminal, checked) (default \(parameterDefaults.sink))"),
        OptionSpec("--line-buffered", help: "print: one write per line, as on a terminal, whatever the sink (default: whole-line blocks unless the sink is a tty)"),
        OptionSpec("--http-latency-ms", value: "N", help: "http: milliseconds the server waits before each response (default \(parameterDefaults.httpLatencyMilliseconds); --quick \(MatrixOptions.quickDefaults.parameters.httpLatencyMilliseconds))"),
        OptionSpec("--http-bytes", value: "N", help: "http: response body size in bytes (default \(parameterDefaults.httpBytes))"),
        OptionSpec("--keep-alive", help: "http: reuse connections instead of one per request: threads keep one each for a run; async keeps a pool (one per task in flight) across runs"),
        OptionSpec("--http-client", value: "NAME", help: "http: the async model's client, native (own epoll loop) or urlsession (default \(parameterDefaults.httpClient))"),
        OptionSpec("--http-url", value: "URL", help: "http: fetch from this server (e.g. a bench serve) instead of starting one; its latency and size apply"),
    ]

    static let pool: [OptionSpec] = [
        OptionSpec("--chunksize", value: "N", help: "process-pool, and hybrid with --dispatch dynamic: tasks per message (default ceil(tasks / (4 x processes)), as Python's Pool)"),
        OptionSpec("--dispatch", value: "MODE", help: "hybrid: static = one block of tasks per process, dynamic = chunks from the parent's queue (default \(defaults.pool.dispatch.rawValue))"),
    ]

    static var all: [OptionSpec] { matrix + output + workloadParameters + pool }

    /// Builds the matrix: `--quick` chooses the base, explicit flags override it.
    static func options(from arguments: Arguments) throws -> MatrixOptions {
        var options = arguments.has("--quick") ? MatrixOptions.quickDefaults : MatrixOptions()
        let available = ModelRegistry.available.map(\.rawValue)
        if let workloads = try arguments.choiceList("--workload", from: WorkloadRegistry.names, noun: "workload") {
            options.workloads = workloads
        }
        if let models = try arguments.choiceList("--model", from: ModelName.selectable.map(\.rawValue), noun: "model") {
            if let missing = models.first(where: { !available.contains($0) }) {
                throw BenchError.usage("model '\(missing)' is not available in this build", fix: "choose from \(available.joined(separator: ", "))")
            }
            options.models = models.compactMap(ModelName.init(rawValue:))
        }
        options.workers = try arguments.integerList("--workers", in: 1...100_000, example: "1,2,4,64") ?? options.workers
        options.processes = try arguments.integer("--processes", in: 1...1_024, example: 4) ?? options.processes
        options.tasks = try arguments.integer("--tasks", in: 1...100_000_000, example: 64) ?? options.tasks
        options.items = try arguments.integer("--items", in: 1...100_000_000, example: 100_000) ?? options.items
        options.runs = try arguments.integer("--runs", in: 1...10_000, example: 5) ?? options.runs
        options.warmup = try arguments.integer("--warmup", in: 0...1_000, example: 1) ?? options.warmup
        options.seed = try arguments.integer("--seed", in: 0...Int.max, example: 42).map(UInt64.init) ?? options.seed
        options.timeoutSeconds = try arguments.seconds("--timeout", example: "60") ?? options.timeoutSeconds
        options.maxTimeSeconds = try arguments.seconds("--max-time", example: "10") ?? options.maxTimeSeconds
        options.parameters.iterations = try arguments.integer("--iterations", in: 1...Int(Int32.max), example: 2_000_000)
            ?? options.parameters.iterations
        options.parameters.sleepMilliseconds = try arguments.integer("--sleep-ms", in: 0...3_600_000, example: 50)
            ?? options.parameters.sleepMilliseconds
        options.parameters.httpLatencyMilliseconds = try httpLatency(arguments) ?? options.parameters.httpLatencyMilliseconds
        options.parameters.httpBytes = try httpBytes(arguments) ?? options.parameters.httpBytes
        if arguments.has("--keep-alive") {
            options.parameters.keepAlive = true
        }
        options.parameters.httpClient = try arguments.choice("--http-client", from: HTTPWorkload.AsyncClient.allCases.map(\.rawValue))
            ?? options.parameters.httpClient
        if let url = arguments.string("--http-url") {
            do {
                options.parameters.httpURL = try HTTPEndpoint(url: url).url
            } catch let error as WorkloadError {
                throw BenchError.usage(error.description, fix: "e.g. --http-url http://127.0.0.1:8080/ (see bench serve)")
            }
        }
        options.parameters.sink = try arguments.choice("--sink", from: SinkKind.allCases.map(\.rawValue)) ?? options.parameters.sink
        options.parameters.lineBuffered = options.parameters.lineBuffered || arguments.has("--line-buffered")
        options.pool.chunkSize = try arguments.integer("--chunksize", in: 1...100_000_000, example: 16) ?? options.pool.chunkSize
        if let dispatch = try arguments.choice("--dispatch", from: PoolOptions.Dispatch.allCases.map(\.rawValue)) {
            options.pool.dispatch = PoolOptions.Dispatch(rawValue: dispatch)!
        }
        return options
    }

    /// `--http-latency-ms`, shared with `bench serve`.
    static func httpLatency(_ arguments: Arguments) throws -> Int? {
        try arguments.integer("--http-latency-ms", in: 0...600_000, example: 50)
    }

    /// `--http-bytes`, shared with `bench serve`: up to 256 MiB per body.
    static func httpBytes(_ arguments: Arguments) throws -> Int? {
        try arguments.integer("--http-bytes", in: 0...(256 << 20), example: 1024)
    }

    private static func list(_ values: [Int]) -> String {
        values.map(String.init).joined(separator: ",")
    }
}
