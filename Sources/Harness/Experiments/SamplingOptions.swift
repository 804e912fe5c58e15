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
    /// What each sample is a sample of, in the help: a `cell`, or (seed-400) a `configuration`.
    public let unit: String
    /// Whether the help of `--runs` and `--warmup` also names their `--quick` defaults.
    public let namesQuickDefaults: Bool

    public init(
        runs: Int, quickRuns: Int, warmup: Int, quickWarmup: Int, timeoutSeconds: Int = 120, unit: String = "cell",
        namesQuickDefaults: Bool = false
    ) {
        self.runs = runs
        self.quickRuns = quickRuns
        self.warmup = warmup
        self.quickWarmup = quickWarmup
        self.timeoutSeconds = timeoutSeconds
        self.unit = unit
        self.namesQuickDefaults = namesQuickDefaults
    }

    /// Their `--help` lines: `countSpecs`, then `settingSpecs`, then the
    /// experiment's `--quick` with its help `quick`, where it has one.
    public func specs(noPython: String? = nil, quick: String? = nil) -> [OptionSpec] {
        countSpecs + settingSpecs(noPython: noPython) + (quick.map { [OptionSpec("--quick", help: $0)] } ?? [])
    }

    /// `--runs` and `--warmup`: how many samples.
    public var countSpecs: [OptionSpec] {
        let quick = { (value: Int) in namesQuickDefaults ? "; --quick \(value)" : "" }
        return [
            OptionSpec("--runs", value: "N", help: "measured samples per \(unit) (default \(runs)\(quick(quickRuns)))"),
            OptionSpec("--warmup", value: "N", help: "unrecorded warmup samples per \(unit) (default \(warmup)\(quick(quickWarmup)))"),
        ]
    }

    /// `--python`, `--seed` and `--timeout`: how they are taken. `noPython`
    /// is the help of the experiment's own `--no-python` (what it leaves out
    /// differs), placed after `--python`; nil: it has none, or shows it elsewhere.
    public func settingSpecs(noPython: String? = nil) -> [OptionSpec] {
        [OptionSpec("--python", value: "PATH", help: "the Python interpreter (default: python3 on PATH)")]
            + (noPython.map { [OptionSpec("--no-python", help: $0)] } ?? []) + [
                OptionSpec("--seed", value: "N", help: "seed of the shuffled sample order (default 1)"),
                OptionSpec("--timeout", value: "SECONDS", help: "longest one sample may take (default \(timeoutSeconds))"),
            ]
    }

    /// The matrix options they set, from `arguments` (the quick defaults under `--quick`).
    public func matrixOptions(_ arguments: Arguments) throws -> MatrixOptions {
        let quick = arguments.has("--quick")
        var options = MatrixOptions()
        options.runs = try arguments.integer("--runs", in: MatrixOptions.runsRange, example: runs) ?? (quick ? quickRuns : runs)
        options.warmup = try arguments.integer("--warmup", in: MatrixOptions.warmupRange, example: 1) ?? (quick ? quickWarmup : warmup)
        options.seed = try arguments.integer("--seed", in: 0...Int.max, example: 42).map(UInt64.init) ?? options.seed
        options.timeoutSeconds = try arguments.seconds("--timeout", example: String(timeoutSeconds)) ?? Double(timeoutSeconds)
        options.python.interpreter = arguments.string("--python")
        return options
    }
}
