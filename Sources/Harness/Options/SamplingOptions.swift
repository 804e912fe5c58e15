import Platform

/// The options about sampling that experiments share, declared and read in
/// one place: how many samples (`--runs auto` by default, to `--precision`,
/// bounded by `--max-runs`, `--max-time` and `--budget`), the margin of the
/// verdicts, the warmup, the interpreter of the Python models, the order's
/// seed and the timeout. `bench run` reads the same sampling flags through
/// `SamplingOptions.applySampling`.
public struct SamplingOptions: Sendable {
    /// Fixed samples per cell under `--quick` (a smoke test: below 6 there is no interval).
    public let quickRuns: Int
    public let warmup: Int
    public let quickWarmup: Int
    public let timeoutSeconds: Int
    /// Seconds of measuring after which `--runs auto` adds nothing beyond each cell's minimum.
    public let budgetSeconds: Double
    /// The claim checks the experiment judges as one family: `--runs auto`
    /// takes the samples they need to be decided at all (`AutoSampling.minimum(forClaims:)`).
    public let claimChecks: Int?
    /// What each sample is a sample of, in the help: a `cell`, or (seed-400) a `configuration`.
    public let unit: String
    /// Whether the help of `--runs` and `--warmup` also names their `--quick` defaults.
    public let namesQuickDefaults: Bool

    public init(
        quickRuns: Int, warmup: Int, quickWarmup: Int, timeoutSeconds: Int = 120, budgetSeconds: Double = 300, claimChecks: Int? = nil,
        unit: String = "cell", namesQuickDefaults: Bool = false
    ) {
        self.quickRuns = quickRuns
        self.claimChecks = claimChecks
        self.warmup = warmup
        self.quickWarmup = quickWarmup
        self.timeoutSeconds = timeoutSeconds
        self.budgetSeconds = budgetSeconds
        self.unit = unit
        self.namesQuickDefaults = namesQuickDefaults
    }

    /// Their `--help` lines: `countSpecs`, then `settingSpecs`, then the
    /// experiment's `--quick` with its help `quick`, where it has one.
    public func specs(noPython: String? = nil, quick: String? = nil, interpreterAxis: Bool = false) -> [OptionSpec] {
        countSpecs + settingSpecs(noPython: noPython, interpreterAxis: interpreterAxis) + (quick.map { [OptionSpec("--quick", help: $0)] } ?? [])
    }

    /// `--runs` and its bounds, `--margin` and `--warmup`: how many samples and how they are judged.
    public var countSpecs: [OptionSpec] {
        let quick = { (value: Int) in namesQuickDefaults ? "; --quick \(value)" : "" }
        return Self.samplingSpecs(unit: unit, quickRuns: namesQuickDefaults ? quickRuns : nil, budgetSeconds: budgetSeconds) + [
            OptionSpec("--warmup", value: "N", help: "unrecorded warmup samples per \(unit) (default \(warmup)\(quick(quickWarmup)))"),
        ]
    }

    /// The sampling flags of every measuring command, `bench run` included.
    public static func samplingSpecs(unit: String = "cell", quickRuns: Int? = nil, budgetSeconds: Double?) -> [OptionSpec] {
        let defaults = AutoSampling()
        return [
            OptionSpec("--runs", value: "N|auto", help: "measured samples per \(unit): auto (the default\(quickRuns.map { "; --quick \($0)" } ?? "")) samples each until the 95% interval of its median is within --precision, starting from 6 (more where a family of verdicts needs them); N takes exactly N (below 6: no interval and no verdict)"),
            OptionSpec("--precision", value: "PERCENT", help: "--runs auto: the interval's half-width to reach, in percent of the median, from above 0 to 50 (default \(format(defaults.precision)))"),
            OptionSpec("--max-runs", value: "N", help: "--runs auto: most samples per \(unit), 6 or more (default \(defaults.maxRuns))"),
            OptionSpec("--max-time", value: "SECONDS", help: "stop taking samples of a \(unit) once they add up to this (default: no bound; under --runs auto never below 6 samples, nor below what an experiment's claims need)"),
            OptionSpec("--budget", value: "SECONDS", help: "--runs auto: once the run has measured this long, no \(unit) takes samples beyond its minimum (6, or what an experiment's claims need; default \(budgetSeconds.map { String(Int($0)) } ?? "none"))"),
            OptionSpec("--margin", value: "PERCENT", help: "a winner whose whole 95% interval lies within this of 1 is \"equivalent\", not \"beat\", from 0 to below 50 (default \(format(VerdictPolicy.defaultMargin)))"),
        ]
    }

    /// `2%`.
    static func format(_ fraction: Double) -> String {
        VerdictPolicy(margin: fraction).marginPercent
    }

    /// `--python`, `--seed` and `--timeout`: how they are taken. `noPython`
    /// is the help of the experiment's own `--no-python` (what it leaves out
    /// differs), placed after `--python`; nil: it has none, or shows it elsewhere.
    public func settingSpecs(noPython: String? = nil, interpreterAxis: Bool = false) -> [OptionSpec] {
        [interpreterAxis
            ? OptionSpec("--python", value: "PATH[,...]", help: "the Python interpreter (default: python3 on PATH); several, e.g. python3.12,python3.13t, are checked one by one")
            : OptionSpec("--python", value: "PATH", help: "the Python interpreter (default: python3 on PATH)")]
            + (noPython.map { [OptionSpec("--no-python", help: $0)] } ?? []) + [
                OptionSpec("--seed", value: "N", help: "seed of the shuffled sample order (default 1)"),
                OptionSpec("--timeout", value: "SECONDS", help: "longest one sample may take (default \(timeoutSeconds))"),
            ]
    }

    /// The matrix options they set, from `arguments` (the quick defaults
    /// under `--quick`). `interpreterAxis`: the experiment takes a list of
    /// interpreters (`--python a,b`) and reports per interpreter; otherwise a
    /// list is a usage error.
    public func matrixOptions(_ arguments: Arguments, interpreterAxis: Bool = false) throws -> MatrixOptions {
        let quick = arguments.has("--quick")
        var options = MatrixOptions()
        options.runs = quick ? .fixed(quickRuns) : .auto
        options.sampling.budgetSeconds = budgetSeconds
        options.sampling.claimsMinimum = claimChecks.map(AutoSampling.minimum(forClaims:))
        try Self.applySampling(arguments, to: &options)
        options.warmup = try arguments.integer("--warmup", in: MatrixOptions.warmupRange, example: 1) ?? (quick ? quickWarmup : warmup)
        options.seed = try arguments.integer("--seed", in: 0...Int.max, example: 42).map(UInt64.init) ?? options.seed
        options.timeoutSeconds = try arguments.seconds("--timeout", example: String(timeoutSeconds)) ?? Double(timeoutSeconds)
        options.python.interpreters = try arguments.string("--python").map(PythonOptions.parseList) ?? []
        if options.python.isAxis && !interpreterAxis {
            throw BenchError.usage(
                "--python lists \(options.python.interpreters.count) interpreters, and this experiment takes one", fix: "give --python one interpreter")
        }
        return options
    }

    /// Reads `--runs`, `--precision`, `--max-runs`, `--max-time`, `--budget`
    /// and `--margin` into `options`, each checked against its range (exit 64).
    public static func applySampling(_ arguments: Arguments, to options: inout MatrixOptions) throws {
        if let text = arguments.string("--runs") {
            let range = MatrixOptions.runsRange
            if text == "auto" {
                options.runs = .auto
            } else if let count = Arguments.parseInteger(text), range.contains(count) {
                options.runs = .fixed(count)
            } else {
                throw BenchError.usage(
                    "--runs expects auto or a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'",
                    fix: "e.g. --runs auto, or --runs 10")
            }
        }
        if let precision = try percent(arguments, "--precision", accepts: AutoSampling.accepts(precision:), range: "(0, 50]%", example: "2") {
            options.sampling.precision = precision
        }
        let floor = OrderStatistics.minimumCount
        if let maxRuns = try arguments.integer("--max-runs", in: floor...MatrixOptions.runsRange.upperBound, example: 20) {
            options.sampling.maxRuns = maxRuns
        }
        options.maxTimeSeconds = try arguments.seconds("--max-time", example: "10") ?? options.maxTimeSeconds
        if let budget = try arguments.seconds("--budget", example: "300") {
            options.sampling.budgetSeconds = budget
        }
        if let margin = try percent(arguments, "--margin", accepts: VerdictPolicy.accepts(margin:), range: "[0, 50)%", example: "2") {
            options.margin = margin
        }
        if options.runs != .auto, let flag = ["--precision", "--max-runs", "--budget"].first(where: arguments.has) {
            throw BenchError.usage("\(flag) applies to --runs auto only, not --runs \(options.runs)", fix: "drop \(flag), or use --runs auto")
        }
    }

    /// A percentage (`2`, `2%`, `0.5`) as a fraction, or a usage error naming `range`.
    static func percent(
        _ arguments: Arguments, _ flag: String, accepts: (Double) -> Bool, range: String, example: String
    ) throws -> Double? {
        guard let text = arguments.string(flag) else { return nil }
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(number), value.isFinite, accepts(value / 100) else {
            throw BenchError.usage("\(flag) '\(text)' is outside \(range)", fix: "give a percentage in \(range), e.g. \(flag) \(example)")
        }
        return value / 100
    }
}
