import Foundation
import Workloads

/// The seed tutorial's anecdote, re-run: printing 100,000 numbers took 17 s
/// with 400 threads in one process and 39 s with 4 processes x 400 threads.
/// Swift's `hybrid` model and the tutorial's own Python program print the
/// same lines through the same sinks, at the two shapes and three around them.
enum Seed400Experiment {
    static let name = "seed-400"
    static let summary = "400 threads in one process vs 4 processes x 400 threads, printing --items lines (Swift and Python)"
    static let pythonScript = "reference/python/seed400.py"

    static let options: [OptionSpec] = [
        OptionSpec("--items", value: "N", help: "lines printed per run (default \(Seed400Configuration.seedItems), as in the tutorial)"),
        OptionSpec("--sink", value: "LIST", help: "where lines go: pipe (default), file, devnull, tty, comma-separated or all"),
        OptionSpec("--runs", value: "N", help: "measured runs per configuration (default 3)"),
        OptionSpec("--warmup", value: "N", help: "unrecorded warmup runs per configuration (default 1)"),
        OptionSpec("--no-python", help: "skip the Python reference even when python3 is present"),
        OptionSpec("--seed", value: "N", help: "seed of the shuffled run order (default 1)"),
        OptionSpec("--timeout", value: "SECONDS", help: "longest one run may take (default 300)"),
    ] + MatrixFlags.output

    static func run(_ arguments: Arguments) throws -> ExitCode {
        var options = MatrixOptions()
        options.runs = try arguments.integer("--runs", in: 1...1_000, example: 3) ?? 3
        options.warmup = try arguments.integer("--warmup", in: 0...100, example: 1) ?? 1
        options.seed = try arguments.integer("--seed", in: 0...Int.max, example: 42).map(UInt64.init) ?? options.seed
        options.timeoutSeconds = try arguments.seconds("--timeout", example: "300") ?? 300
        let items = try arguments.integer("--items", in: 1...100_000_000, example: 100_000) ?? Seed400Configuration.seedItems
        let sinks = try (arguments.choiceList("--sink", from: SinkKind.allCases.map(\.rawValue), noun: "sink") ?? ["pipe"])
            .compactMap(SinkKind.init(rawValue:))
        options.workloads = ["print"]
        options.models = [.hybrid]
        options.tasks = items

        let python = arguments.has("--no-python") ? nil : try pythonReference()
        var cells: [Cell] = []
        for sink in sinks {
            var parameters = options.parameters
            parameters.sink = sink.rawValue
            // One write per line in both languages, as on the tutorial's console:
            // the Python program must (see its docstring), so Swift does too.
            parameters.lineBuffered = true
            let workload = PrintWorkload(sink: sink.rawValue, lineBuffered: true)
            for configuration in Seed400Configuration.all {
                for model in python == nil ? [ModelName.hybrid] : [.hybrid, .pythonHybrid] {
                    cells.append(Cell(
                        index: cells.count, workload: workload.name, kind: workload.kind, work: workload.work,
                        parameters: parameters, model: model, shape: configuration.shape, tasks: items))
                }
            }
        }
        if python != nil { options.models.append(.pythonHybrid) }
        let plan = MatrixPlan(options, cells: cells)
        let label = try RunCommand.runLabel(arguments.string("--label") ?? name)
        return try RunCommand.execute(
            plan, label: label, out: arguments.string("--out") ?? "results", plot: !arguments.has("--no-plot"),
            models: { model in model == .pythonHybrid ? python : ModelRegistry.model(model) },
            report: { folder, summaries in
                let report = Seed400Report(summaries: summaries, sinks: sinks, items: items)
                print(report.table(), terminator: "")
                try folder.write(Data(report.csv().utf8), to: "experiment.csv")
            })
    }

    /// The Python program beside Swift, or nil (with a note saying why) when
    /// python3 or the script is missing.
    static func pythonReference() throws -> PythonReferenceModel? {
        guard let launcher = PackageFile.onPath("python3"), let interpreter = realInterpreter(launcher.path) else {
            printNote("note: python3 not found, so the Python reference is skipped — install python3 to compare, or pass --no-python")
            return nil
        }
        guard let script = PackageFile.locate(pythonScript) else {
            printNote("note: \(pythonScript) not found, so the Python reference is skipped — run bench from the package folder")
            return nil
        }
        return PythonReferenceModel(interpreter: interpreter, script: script.path)
    }

    /// The interpreter itself: `python3` on PATH may be a launcher script
    /// (pyenv's shim starts a dozen processes), which must not be timed.
    static func realInterpreter(_ launcher: String) -> String? {
        guard let child = try? ChildProcess(
            executable: launcher, arguments: ["-c", "import sys; sys.stderr.write(sys.executable)"]),
            let exit = child.wait(until: MonotonicClock.now() + 30_000_000_000), exit.status.isSuccess else { return nil }
        let path = child.standardError().trimmingCharacters(in: .whitespacesAndNewlines)
        return path.hasPrefix("/") ? path : nil
    }
}
