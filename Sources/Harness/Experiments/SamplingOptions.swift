import Platform

/// The options about sampling that experiments share, declared and read in
/// one place: how many samples, the warmup, the interpreter of the Python
/// models, the order's seed and the timeout.
public struct SamplingOptions: Sendable {
    public let runs: Int
    public let quickRuns: Int
    public let warmup: Int
    public let quickWarmup: Int
    public let timeoutSeconds: Int

    public init(runs: Int, quickRuns: Int, warmup: Int, quickWarmup: Int, timeoutSeconds: Int = 120) {
        self.runs = runs
        self.quickRuns = quickRuns
        self.warmup = warmup
        self.quickWarmup = quickWarmup
        self.timeoutSeconds = timeoutSeconds
    }

    /// Their `--help` lines.
    public var specs: [OptionSpec] {
        [
            OptionSpec("--runs", value: "N", help: "measured samples per cell (default \(runs))"),
            OptionSpec("--warmup", value: "N", help: "unrecorded warmup samples per cell (default \(warmup))"),
            OptionSpec("--python", value: "PATH", help: "the Python interpreter (default: python3 on PATH)"),
            OptionSpec("--seed", value: "N", help: "seed of the shuffled sample order (default 1)"),
            OptionSpec("--timeout", value: "SECONDS", help: "longest one sample may take (default \(timeoutSeconds))"),
        ]
    }

    /// The matrix options they set, from `arguments` (the quick defaults under `--quick`).
    public func matrixOptions(_ arguments: Arguments) throws -> MatrixOptions {
        let quick = arguments.has("--quick")
        var options = MatrixOptions()
        options.runs = try arguments.integer("--runs", in: 1...1_000, example: runs) ?? (quick ? quickRuns : runs)
        options.warmup = try arguments.integer("--warmup", in: 0...100, example: 1) ?? (quick ? quickWarmup : warmup)
        options.seed = try arguments.integer("--seed", in: 0...Int.max, example: 42).map(UInt64.init) ?? options.seed
        options.timeoutSeconds = try arguments.seconds("--timeout", example: String(timeoutSeconds)) ?? Double(timeoutSeconds)
        options.python.interpreter = arguments.string("--python")
        return options
    }
}
