import Engine
import Foundation
import Harness
import Platform
import Workloads

/// The seed tutorial's anecdote, re-run: printing 100,000 numbers took 17 s
/// with 400 threads in one process and 39 s with 4 processes x 400 threads.
/// Swift's `hybrid` model and the tutorial's own Python program print the
/// same lines through the same sinks, at the two shapes and three around them.
public struct Seed400Experiment: Experiment {
    public init() {}

    public var name: String { "seed-400" }
    /// The tutorial's program is its own baseline (its 1x1).
    public var modelBaselines: [String: String] { [TutorialProgramModel.modelName: TutorialProgramModel.modelName] }
    public var summary: String { "400 threads in one process vs 4 processes x 400 threads, printing --items lines (Swift and Python)" }
    public var claims: [SeedClaim] { [Self.claim] }

    static let claim = SeedClaim(
        "printing 100,000 numbers took 39 s with 4 processes x 400 threads and 17 s with 400 threads: more is not always better",
        source: SeedFile.seed002)

    public var options: [OptionSpec] {
        [
            OptionSpec("--items", value: "N", help: "lines printed per sample (default \(Seed400Configuration.seedItems), as in the tutorial)"),
            OptionSpec("--sink", value: "LIST", help: "where lines go: pipe (default), file, devnull, tty, comma-separated or all"),
        ] + Self.sampling.countSpecs + [
            OptionSpec("--split", value: "MODE", help: "Python's split of the items over processes: even (default) or tutorial (its producer's ranges, which print 25 of each 100 items)"),
            OptionSpec("--no-python", help: "skip the Python program even when python3 is present"),
        ] + Self.sampling.settingSpecs()
    }

    /// It has no `--quick`: the quick counts are the counts.
    static let sampling = SamplingOptions(quickRuns: 3, warmup: 1, quickWarmup: 1, timeoutSeconds: 300, unit: "configuration")

    public var notes: [String] {
        [
            "Runs 1x1, 1x400, 4x1, 4x10 and 4x400 (processes x threads) with Swift's hybrid model and, when\npython3 is present, the tutorial's Python program (python/seed400.py), on every sink, and prints\nthe tutorial's 17 s and 39 s beside the measured medians, with the verdict on its claim from the\n95% interval of the 4x400 / 1x400 ratio. With the pipe, file and tty sinks every line is checked.",
            "Writes the usual raw.csv and summary.csv (workload print), plus experiment.csv for plot.sh.",
        ]
    }

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        // Its Python program is its own model (below), which the interpreter this sets does not reach.
        var options = try Self.sampling.matrixOptions(arguments)
        let items = try arguments.integer("--items", in: 1...100_000_000, example: 100_000) ?? Seed400Configuration.seedItems
        let sinks = try (arguments.choiceList("--sink", from: SinkKind.allCases.map(\.rawValue), noun: "sink") ?? ["pipe"])
            .compactMap(SinkKind.init(rawValue:))
        let split = try arguments.choice("--split", from: ["even", "tutorial"]) ?? "even"
        // The claim is checked per sink and language: that family decides the samples auto takes.
        if !arguments.has("--quick") {
            options.sampling.claimsMinimum = AutoSampling.minimum(forClaims: 2 * sinks.count)
        }
        options.workloads = ["print"]
        options.models = ["hybrid"]
        options.tasks = items

        let python = arguments.has("--no-python")
            ? nil : try TutorialProgramModel.locate(interpreter: arguments.string("--python"), split: split)
        var cells: [Cell] = []
        for sink in sinks {
            // One write per line in both languages, as on the tutorial's console:
            // the Python program must (see its docstring), so Swift does too.
            let parameters = ParameterValues(["sink": .text(sink.rawValue), "line-buffered": .flag(true)])
            let workload = PrintWorkload(sink: sink.rawValue, lineBuffered: true)
            for configuration in Seed400Configuration.all {
                for model in python == nil ? ["hybrid"] : ["hybrid", TutorialProgramModel.modelName] {
                    cells.append(Cell(
                        index: cells.count, workload: workload.name, kind: workload.kind, work: workload.work,
                        parameters: parameters, model: model, shape: configuration.shape, tasks: items,
                        distinguishing: Cell.distinguishing(parameters, from: PrintWorkload.declaration, quick: options.quick)))
                }
            }
        }
        if let python { options.models.append(python.name) }
        let plan = MatrixPlan(options, cells: cells)
        var notes: [String: JSONValue] = ["split": .string(split)]
        if let python { notes["python"] = python.metadata }
        if python != nil && split == "tutorial" {
            // The tutorial's ranges leave items out by design: say how many, and check exactly what they print.
            var leftOut: [String: JSONValue] = [:]
            for processes in Set(Seed400Configuration.all.map(\.processes)).sorted() {
                let printed = TutorialProgramModel.printedItems(items: items, processes: processes, split: split)
                leftOut[String(processes)] = .integer(items - printed.count)
                if printed.count < items {
                    printNote(
                        "note: --split tutorial: with \(processes) processes the tutorial's ranges print items \(printed.lowerBound)..<\(printed.upperBound), "
                            + "\(printed.count) of \(items); the split leaves out \(items - printed.count), and the check expects exactly the ones it prints")
                }
            }
            notes["split_items_left_out_by_processes"] = .object(leftOut)
        }
        return try Invocation.measure(
            plan, output: output, experiment: name,
            models: { model in model == TutorialProgramModel.modelName ? python : ModelRegistry.model(named: model) },
            notes: notes,
            report: { folder, results in
                let report = Seed400Report(results: results, sinks: sinks, items: items, split: split)
                try folder.write(Data(report.csv().utf8), to: "experiment.csv")
                return ExperimentReport(text: report.table(), claims: report.claims)
            })
    }
}
