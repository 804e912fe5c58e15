import Harness
import Platform
import Workloads

/// The options every probe experiment takes (samples, order, timeout, the
/// Python interpreter), parsed once; the experiment adds its own.
struct ProbeOptions {
    var runs: Int
    var seed: UInt64
    var timeoutSeconds: Double
    var quick: Bool
    /// The experiment's Python probe; nil with `--no-python`.
    var python: PythonProbe?

    /// A probe runs a configuration's samples in one go (one Python process
    /// for all of them), so `--runs auto` has no round to stop after. The
    /// default is what a claims table of `checks` ratio checks needs to be
    /// decided under Holm's correction (`AutoSampling.minimum(forClaims:)`);
    /// a behaviour seen in every sample needs no interval and does not count.
    static func runs(forClaims checks: Int) -> Int {
        AutoSampling.minimum(forClaims: checks)
    }

    /// The shared options' help, for an experiment of about eight ratio checks.
    static let specs = specs(forClaims: 8)

    static func specs(forClaims checks: Int) -> [OptionSpec] {
        [
            OptionSpec("--runs", value: "N", help: "samples per configuration, taken in one go (default \(runs(forClaims: checks)), enough for a ratio claim to survive Holm's correction; --quick 2: no interval)"),
            OptionSpec("--seed", value: "N", help: "seed of the shuffled order of the configurations (default 1)"),
            OptionSpec("--timeout", value: "SECONDS", help: "longest one configuration's samples may take (default 300)"),
            OptionSpec("--python", value: "PATH", help: "the Python interpreter (default: python3 on PATH)"),
            OptionSpec("--no-python", help: "measure Swift only, even when python3 is present"),
            OptionSpec("--quick", help: "fewer messages or tasks and 2 samples: a smoke test, not a measurement"),
        ]
    }

    /// Parses the shared options; `script` is the experiment's Python probe,
    /// `claimChecks` the checks of its claims table that need an interval.
    init(_ arguments: Arguments, script: String, claimChecks: Int = 8) throws {
        quick = arguments.has("--quick")
        let defaultRuns = Self.runs(forClaims: claimChecks)
        runs = try arguments.integer("--runs", in: MatrixOptions.runsRange, example: defaultRuns) ?? (quick ? 2 : defaultRuns)
        seed = try arguments.integer("--seed", in: 0...Int.max, example: 42).map(UInt64.init) ?? 1
        timeoutSeconds = try arguments.seconds("--timeout", example: "300") ?? 300
        python = arguments.has("--no-python") ? nil : try PythonProbe.locate(script, interpreter: arguments.string("--python"))
    }

    /// What meta.json records of them.
    var matrixOptions: MatrixOptions {
        var options = MatrixOptions()
        options.workloads = []
        options.models = []
        options.workers = []
        options.processes = []
        options.runs = .fixed(runs)
        options.warmup = 0
        options.seed = seed
        options.timeoutSeconds = timeoutSeconds
        options.quick = quick
        return options
    }

    var notes: [String: JSONValue] {
        python.map { ["python": $0.metadata] } ?? ["python": "not measured (--no-python)"]
    }

    /// The configurations in a shuffled order (`--seed`), so that a drift of
    /// the machine spreads over all of them alike.
    func shuffled(_ configurations: [ProbeConfiguration]) -> [ProbeConfiguration] {
        var generator = SeededGenerator(seed: seed)
        return configurations.shuffled(using: &generator)
    }

    /// A comma-separated list of values of `parameter`, validated by its declaration.
    static func list(_ arguments: Arguments, _ parameter: ParameterDeclaration, default values: [Int]) throws -> [Int] {
        guard let text = arguments.string(parameter.flag) else { return values }
        return try parameter.parseList(text).compactMap(\.number)
    }

    /// One value of `parameter`, validated by its declaration.
    static func number(_ arguments: Arguments, _ parameter: ParameterDeclaration, quick: Bool) throws -> Int {
        guard let text = arguments.string(parameter.flag) else { return parameter.value(quick: quick).number ?? 0 }
        guard let value = try parameter.parse(text).number else { return 0 }
        return value
    }

    /// The option of a declared parameter, its help from the declaration.
    static func spec(_ parameter: ParameterDeclaration, list: Bool = false) -> OptionSpec {
        OptionSpec(parameter.flag, value: parameter.kind.placeholder.map { list ? "\($0)[,...]" : $0 }, help: parameter.helpWithDefaults)
    }
}
