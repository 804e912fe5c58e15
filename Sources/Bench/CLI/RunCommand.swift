import Foundation

/// `bench run`: expand a matrix, measure it, write the run folder, print the table.
enum RunCommand: BenchCommand {
    static let name = "run"
    static let summary = "run a matrix of workloads x models x worker counts (the default command)"

    static var help: String {
        Usage.command(
            "bench run [OPTIONS]", summary: summary,
            groups: [
                ("Matrix", MatrixFlags.matrix), ("Workload parameters", MatrixFlags.workloadParameters),
                ("Process pools", MatrixFlags.pool), ("Output", MatrixFlags.output + [Usage.helpOption]),
            ],
            notes: [
                "Every list takes comma-separated values. Serial runs once per workload whatever --workers says.",
                "Each cell runs --warmup unrecorded runs, then --runs measured ones, all cells interleaved in a\nshuffled order. Rows reach raw.csv as each run ends; Ctrl-C stops after the current run and\nstill writes summary.csv.",
                "process-pool and hybrid start bench itself again as their workers (posix_spawn of\n/proc/self/exe); BENCH_WORKER_EXECUTABLE=PATH starts another bench binary instead.",
                "Example: bench run --workload xor,sleep --model thread,async --workers 1,2,4,64",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        try runMatrix(words, defaultLabel: words.contains("--quick") ? "quick" : "run")
    }

    static func runMatrix(_ words: [String], defaultLabel: String) throws -> ExitCode {
        let arguments = try Arguments(words, accepting: MatrixFlags.all + [Usage.helpOption])
        if arguments.has("--help") {
            print(help)
            return .success
        }
        if let extra = arguments.positionals.first {
            throw BenchError.usage("unexpected argument '\(extra)'", fix: "options start with --; see bench run --help")
        }
        let options = try MatrixFlags.options(from: arguments)
        let plan = try MatrixPlan(options)
        let label = try runLabel(arguments.string("--label") ?? defaultLabel)
        return try execute(plan, label: label, out: arguments.string("--out") ?? "results", plot: !arguments.has("--no-plot"))
    }

    /// Measures `plan` into a new run folder and reports it; shared by experiments.
    ///
    /// An experiment brings `models` of its own (the Python reference) and a
    /// `report` that writes its extra files and tables once the run is done
    /// and before the charts are drawn.
    static func execute(
        _ plan: MatrixPlan, label: String, out: String, plot: Bool,
        models: @escaping (ModelName) -> (any ConcurrencyModel)? = ModelRegistry.model,
        report: (RunFolder, [CellSummary]) throws -> Void = { _, _ in }
    ) throws -> ExitCode {
        warnAboutConditions()
        // http cells need a server: a child process for the whole run unless --http-url names one.
        let server = try LocalServer.startIfNeeded(for: plan)
        defer { server?.stop() }
        let plan = try server.map { try plan.using(httpURL: $0.url) } ?? plan
        try plan.checkHTTPServer(ownServer: server != nil)
        let folder = try RunFolder(
            root: out, label: label, plan: plan, commandLine: CommandLine.arguments, ownHTTPServer: server != nil)
        printNote("bench: \(plan.cells.count) cells x (\(plan.options.warmup) warmup + \(plan.options.runs) runs) -> \(folder.url.path)")
        Interruption.install()
        let runner = Runner(plan: plan, recorder: folder, progress: ProgressLine(), models: models)
        let outcome = try runner.run()
        try folder.finish(outcome)

        let summaries = CellSummary.summarize(outcome.samples, excluding: outcome.failedCells)
        print(TerminalTable.render(summaries), terminator: "")
        try report(folder, summaries)
        printNote("results: \(folder.url.path)/ (raw.csv, summary.csv, meta.json)")
        // An interrupted run stops now, as asked; a run with failed cells still
        // charts what it measured.
        if plot && !outcome.interrupted && !outcome.samples.isEmpty {
            Plotter.plot(folder.url)
        }
        if outcome.interrupted {
            printNote("bench: interrupted; \(outcome.samples.count) runs kept, summary.csv covers them")
            return .runFailed
        }
        if !outcome.failures.isEmpty {
            printError("\(outcome.failures.count) of \(outcome.cellCount) cells failed (see above and meta.json) — fix the cause and rerun those cells")
            return .runFailed
        }
        return .success
    }

    /// Run folder names stay portable: letters, digits, `.`, `_`, `-`.
    static func runLabel(_ label: String) throws -> String {
        let allowed = label.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }
        guard !label.isEmpty, allowed, !label.hasPrefix(".") else {
            throw BenchError.usage("--label '\(label)' is not a plain name", fix: "use letters, digits, '.', '_' and '-', e.g. --label laptop")
        }
        return label
    }

    /// Timings from a debug build or a busy machine mislead; say so up front.
    private static func warnAboutConditions() {
        if BuildInfo.configuration != "release" {
            printNote("warning: this is a debug build; timings are not representative — use swift run -c release bench")
        }
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        if let load = HostInfo.loadAverage(), load > 0.5 * cores {
            printNote("warning: load average is \(load) on \(Int(cores)) cores; other work will disturb the timings")
        }
    }
}
