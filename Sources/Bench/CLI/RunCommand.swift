import Foundation
import Harness
import Platform

/// `bench run`: expand a matrix, measure it, write the run folder, print the table.
enum RunCommand: BenchCommand {
    static let name = "run"
    static let summary = "run a matrix of workloads x models x worker counts (the default command)"

    static var help: String {
        Usage.command(
            "bench run [OPTIONS]", summary: summary,
            groups: [
                ("Matrix", MatrixFlags.matrix), ("Workload parameters", MatrixFlags.workloadParameters),
                ("Process pools", MatrixFlags.pool), ("Python models", MatrixFlags.python),
                ("Distributed model", DistributedOptions.flags),
                ("Output", MatrixFlags.output + [Usage.helpOption]),
            ],
            notes: [
                "Every list takes comma-separated values, and a list of a workload parameter scans it: one cell per\nvalue (--iterations 1000000,4000000). Serial runs once per workload and parameter set whatever\n--workers says.",
                "Each cell runs --warmup unrecorded samples, then --runs measured ones, all cells interleaved in a\nshuffled order. Rows reach raw.csv as each sample ends; Ctrl-C (or SIGTERM) stops after the\ncurrent sample (one still running a second later is stopped) and still writes summary.csv; a\nsecond Ctrl-C aborts. --timeout bounds every sample and the unmeasured reference run.",
                "At the end the run folder gets its charts (plots/, by plot.sh) and report.html: every table,\nverdict, fit, claim and chart of the run on one self-contained page (--no-report skips it;\nbench report RUN writes it again).",
                "Pool workers are bench-worker processes, found beside bench; \(HelperExecutable.environmentVariable)=PATH\nstarts another build's instead.",
                "Example: bench run --workload xor,sleep --model thread,async --workers 1,2,4,64",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        try runMatrix(words, defaultLabel: words.contains("--quick") ? "quick" : "run")
    }

    static func runMatrix(_ words: [String], defaultLabel: String) throws -> ExitCode {
        guard let arguments = try Arguments.parse(words, options: MatrixFlags.all, help: help) else { return .success }
        let options = try MatrixFlags.options(from: arguments)
        let output = try outputOptions(arguments, defaultLabel: defaultLabel)
        let plan = try MatrixPlan(options)
        return try Invocation.measure(plan, output: output)
    }

    /// `--out`, `--label`, `--no-plot`, `--no-report` and the exports, checked before anything is measured:
    /// an export's path that cannot be written is exit 64 naming its flag.
    static func outputOptions(_ arguments: Arguments, defaultLabel: String) throws -> Invocation.Output {
        Invocation.Output(
            root: try Invocation.checkRoot(arguments.string("--out") ?? "results"),
            label: try Invocation.checkLabel(arguments.string("--label") ?? defaultLabel),
            plot: !arguments.has("--no-plot"), report: !arguments.has("--no-report"), exports: try ExportRequest.requests(arguments),
            allowsDisturbed: arguments.has("--allow-disturbed"))
    }
}
